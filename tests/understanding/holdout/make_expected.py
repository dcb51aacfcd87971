#!/usr/bin/python3
"""Held-out planner questions with answers computed from the raw data, in score.py's format.

The questions were written for issue 15 before the planner was changed, by someone who did not
read the planner's word lists, and are not to be tuned on: a planner change that fixes one of
them must fix it by a general rule. Each question sits next to the query that answers it, in
the terms of ../shared/eval/README.md ("What the answers mean"), implemented in pms_semantics.py.

usage:
  make_expected.py demo PMS_DATA DB EXPORT_DIR   generate the demo database (fixed seed and
                                                 date) and export it as ProjectManagement.*.json
  make_expected.py answers {kestrel|demo} EXPORT_DIR OUT.json
Regenerate the committed sets (from the repository root):
  tests/understanding/holdout/make_expected.py demo build/bin/pms-data /tmp/demo.db /tmp/demo-export
  tests/understanding/holdout/make_expected.py answers kestrel ../shared/eval/kestrel/export tests/understanding/holdout/kestrel.json
  tests/understanding/holdout/make_expected.py answers demo /tmp/demo-export tests/understanding/holdout/demo.json"""
import json, os, subprocess, sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pms_semantics import Data, state_name, label_names, ref_id  # noqa: E402

DEMO_ARGS = ["generate", "--seed", "42", "--work-items", "300", "--reference-date", "2026-06-15"]
NOW = {"kestrel": "2026-11-20T10:00:00Z", "demo": "2026-06-15T12:00:00Z"}
COLLECTIONS = ("project", "workItem", "cycle", "module", "epic", "features", "userStory", "page", "members")


def refuse(why):
    """A question with no right number: a write, something outside the data, an ambiguous or
    unknown name, or not a question. `why` documents it; the scorer only needs no number claimed."""
    return lambda D: None


def kestrel():
    fleet = lambda D: D.in_project("Fleet Tracker")
    return [
        # counts
        ("how many tickets does rui almeida have in warehouse scanner", "count",
         lambda D: D.count(D.in_project("Warehouse Scanner"), D.assigned_to("Rui Almeida"))),
        ("cancelled count for data lake migration", "count",
         lambda D: D.count(D.in_project("Data Lake Migration"), D.cancelled)),
        ("how many tickets are closed in the driver app", "count",
         lambda D: D.count(D.in_project("Driver App"), D.done)),
        ("open urgent tickets in FLEET", "count",
         lambda D: D.count(fleet(D), D.open, D.priority("URGENT"))),
        ("how many unassigned work items in portal del paciente?", "count",
         lambda D: D.count(D.in_project("Portal del Paciente"), D.unassigned)),
        ("how many of Aoife Kelly's tickets are past their due date", "count",
         lambda D: D.count(D.assigned_to("Aoife Kelly"), D.overdue)),
        ("tickets created this week in warehouse scanner", "count",
         lambda D: D.count(D.in_project("Warehouse Scanner"), D.this_week("createdTimeStamp"))),
        ("driver app: number of items created during october", "count",
         lambda D: D.count(D.in_project("Driver App"), D.in_month("createdTimeStamp", 10))),
        ("customer-reported tickets still open in warehouse scanner", "count",
         lambda D: D.count(D.in_project("Warehouse Scanner"), D.label("customer-reported"), D.open)),
        ("count of HIGH prority tickets in WMS", "count",
         lambda D: D.count(D.in_project("Warehouse Scanner"), D.priority("HIGH"))),
        ("how many tickets labelled hotfix in fleet tracker", "count",
         lambda D: D.count(fleet(D), D.label("hotfix"))),
        ("how many items are still open in fleet tracker's sprint 23", "count",
         lambda D: D.count(D.in_cycle("Sprint 23", "Fleet Tracker"), D.open)),
        ("how many tickets in iteracion 12", "count",
         lambda D: D.count(D.in_cycle("Iteración 12", "Portal del Paciente"))),
        ("how many people work on customs docs", "count",
         lambda D: len(D.members_of("Customs Docs"))),
        ("how many members does the fleet tracker team have", "count",
         lambda D: len(D.members_of("Fleet Tracker"))),
        ("how many private pages are there in fleet tracker", "count",
         lambda D: D.count(fleet(D), lambda p: p.get("visibility") == "PRIVATE", coll="page")),
        ("how many epics does driver app have", "count",
         lambda D: D.count(D.in_project("Driver App"), coll="epic")),
        ("urgent tickets nobody is assigned to", "count",
         lambda D: D.count(D.priority("URGENT"), D.unassigned)),
        ("how many items in the DRV project were updated last week", "count",
         lambda D: D.count(D.in_project("Driver App"), D.last_week("updatedTimeStamp"))),
        ("how many items in cdoc are in the backlog", "count",
         lambda D: D.count(D.in_project("Customs Docs"), D.in_group("backlog"))),
        ("how many tickets did ahmed el-sayed create", "count",
         lambda D: D.count(D.created_by("Ahmed El-Sayed"))),
        ("warehouse scanner: count of cancelled work", "count",
         lambda D: D.count(D.in_project("Warehouse Scanner"), D.cancelled)),
        # lists
        ("list warehouse scanner's user stories", "list",
         lambda D: D.titles(D.in_project("Warehouse Scanner"), coll="userStory")),
        ("which modules are in citas online", "list",
         lambda D: D.titles(D.in_project("Citas Online"), coll="module")),
        ("show me the epics of portal del paciente", "list",
         lambda D: D.titles(D.in_project("Portal del Paciente"), coll="epic")),
        ("wich pages don't belong to any project", "list",
         lambda D: D.titles(lambda p: ref_id(p, "project") is None, coll="page")),
        ("are any projects archived? which ones", "list",
         lambda D: D.titles(lambda p: p.get("isArchived") is True, coll="project", key="name")),
        ("list the urgent open tickets in customs docs", "list",
         lambda D: D.titles(D.in_project("Customs Docs"), D.open, D.priority("URGENT"))),
        ("list the members of the integración hl7 project", "list",
         lambda D: list(D.members_of("Integración HL7").values())),
        # tops
        ("who has the most open tickets in customs docs", "top",
         lambda D: D.top(D.assignee_names, D.in_project("Customs Docs"), D.open)),
        ("which label is used most in portal del paciente", "top",
         lambda D: D.top(label_names, D.in_project("Portal del Paciente"))),
        ("which module of driver app has the most open tickets", "top",
         lambda D: [D.title_of("module", k)
                    for k in D.top(lambda d: ref_id(d, "modules"), D.in_project("Driver App"), D.open)]),
        ("who has the most tickets assigned in citas online", "top",
         lambda D: D.top(D.assignee_names, D.in_project("Citas Online"))),
        ("the project with the most cancelled work", "top",
         lambda D: [D.title_of("project", k) for k in D.top(lambda d: ref_id(d, "project"), D.cancelled)]),
        # groups
        ("break down customs docs by state", "group",
         lambda D: D.by(state_name, D.in_project("Customs Docs"))),
        ("priority breakdown for customs docs", "group",
         lambda D: D.by(lambda d: d.get("priority"), D.in_project("Customs Docs"))),
        ("open tickets per assignee in warehouse scanner", "group",
         lambda D: D.by(D.assignee_names, D.in_project("Warehouse Scanner"), D.open)),
        ("items per state group in driver app", "group",
         lambda D: D.by(lambda d: (d.get("stateMaster") or {}).get("name"), D.in_project("Driver App"))),
        ("how many items per module in customs docs", "group",
         lambda D: {D.title_of("module", k): n
                    for k, n in D.by(lambda d: ref_id(d, "modules"), D.in_project("Customs Docs")).items()}),
        # refusals
        ("assign FLEET-12 to aoife kelly", "refuse", refuse("a write")),
        ("time logged by tomasz this month", "refuse", refuse("time tracking is not in the data")),
        ("list maria's open tickets", "refuse", refuse("two Marias: Maria Santos, Maria Keane")),
        ("count reporting module tickets", "refuse", refuse("Reporting is a module of FLEET and of WMS")),
        ("what's the average salary on the driver app team", "refuse", refuse("salaries are not in the data")),
        ("what's in sprint 20?", "refuse", refuse("Sprint 20 exists in FLEET and in WMS")),
        ("how many tickets in project Osprey", "refuse", refuse("no project is called Osprey")),
        ("thanks!", "refuse", refuse("not a question")),
    ]


def demo():
    return [
        # counts
        ("how many taks does mei kim have", "count",
         lambda D: D.count(D.assigned_to("Mei Kim"))),
        ("open items in billing platform", "count",
         lambda D: D.count(D.in_project("Billing Platform"), D.open)),
        ("how many urgent items are open across all projects", "count",
         lambda D: D.count(D.priority("URGENT"), D.open)),
        ("customer portal items with no assignee - how many?", "count",
         lambda D: D.count(D.in_project("Customer Portal"), D.unassigned)),
        ("anything overdue in billing platform? how many", "count",
         lambda D: D.count(D.in_project("Billing Platform"), D.overdue)),
        ("how many items were created last week in data warehouse", "count",
         lambda D: D.count(D.in_project("Data Warehouse"), D.last_week("createdTimeStamp"))),
        ("how many items in sprint 12 of internal tools", "count",
         lambda D: D.count(D.in_cycle("Sprint 12", "Internal Tools"))),
        ("how many items in the backlgo for marketing website", "count",
         lambda D: D.count(D.in_project("Marketing Website"), D.in_group("backlog"))),
        ("customer portal items waiting in review", "count",
         lambda D: D.count(D.in_project("Customer Portal"), D.state("In Review"))),
        ("how many items tagged security are still open", "count",
         lambda D: D.count(D.label("security"), D.open)),
        ("how many people are on the data warehouse team", "count",
         lambda D: len(D.members_of("Data Warehouse"))),
        ("how many members does internal tools have", "count",
         lambda D: len(D.members_of("Internal Tools"))),
        ("how many public pages does mobile app have", "count",
         lambda D: D.count(D.in_project("Mobile App"), lambda p: p.get("visibility") == "PUBLIC", coll="page")),
        ("how many sprints has billing platform completed", "count",
         lambda D: D.count(D.in_project("Billing Platform"), lambda c: c.get("status") == "COMPLETED", coll="cycle")),
        ("how many items did hana kowalski create", "count",
         lambda D: D.count(D.created_by("Hana Kowalski"))),
        ("how many high priority items are done in mobile app", "count",
         lambda D: D.count(D.in_project("Mobile App"), D.priority("HIGH"), D.done)),
        ("total estimate of open items in customer portal", "count",
         lambda D: sum(d.get("estimate") or 0 for d in D.items(D.in_project("Customer Portal"), D.open))),
        ("number of epcis in mobile app", "count",
         lambda D: D.count(D.in_project("Mobile App"), coll="epic")),
        ("items created in march in customer portal", "count",
         lambda D: D.count(D.in_project("Customer Portal"), D.in_month("createdTimeStamp", 3))),
        ("how many items in data warehouse have no module", "count",
         lambda D: D.count(D.in_project("Data Warehouse"), lambda d: ref_id(d, "modules") is None)),
        ("cancelled items in CPA1", "count",
         lambda D: D.count(D.in_project("Customer Portal"), D.cancelled)),
        ("how many low priority items labelled bug does mateo dubois have", "count",
         lambda D: D.count(D.assigned_to("Mateo Dubois"), D.priority("LOW"), D.label("bug"))),
        # lists
        ("which modules does internal tools have", "list",
         lambda D: D.titles(D.in_project("Internal Tools"), coll="module")),
        ("who is on the marketing website team", "list",
         lambda D: list(D.members_of("Marketing Website").values())),
        ("list the features of data warehouse", "list",
         lambda D: D.titles(D.in_project("Data Warehouse"), coll="features")),
        ("which cycle is active in mobile app", "list",
         lambda D: D.titles(D.in_project("Mobile App"), lambda c: c.get("status") == "ACTIVE", coll="cycle")),
        ("omar chen's open items", "list",
         lambda D: D.titles(D.assigned_to("Omar Chen"), D.open)),
        ("which epics are in marketing website", "list",
         lambda D: D.titles(D.in_project("Marketing Website"), coll="epic")),
        # tops
        ("who has the most open items in customer portal", "top",
         lambda D: D.top(D.assignee_names, D.in_project("Customer Portal"), D.open)),
        ("most used label in internal tools", "top",
         lambda D: D.top(label_names, D.in_project("Internal Tools"))),
        ("which project has the most unassigned open items", "top",
         lambda D: [D.title_of("project", k)
                    for k in D.top(lambda d: ref_id(d, "project"), D.unassigned, D.open)]),
        ("who created the most items in billing platform", "top",
         lambda D: D.top(lambda d: D.person_name(ref_id(d, "createdBy")), D.in_project("Billing Platform"))),
        # groups
        ("mobile app, broken down by state", "group",
         lambda D: D.by(state_name, D.in_project("Mobile App"))),
        ("priority split for marketing website", "group",
         lambda D: D.by(lambda d: d.get("priority"), D.in_project("Marketing Website"))),
        ("pages by visibility", "group",
         lambda D: D.by(lambda p: p.get("visibility"), coll="page")),
        ("items per assignee in internal tools", "group",
         lambda D: D.by(D.assignee_names, D.in_project("Internal Tools"))),
        ("open items by priority in customer portal", "group",
         lambda D: D.by(lambda d: d.get("priority"), D.in_project("Customer Portal"), D.open)),
        # refusals
        ("close all done items in mobile app", "refuse", refuse("a write")),
        ("create a bug for the login timeout in mobile app", "refuse", refuse("a write")),
        ("customer portal sprint velocity?", "refuse", refuse("velocity is not in the data")),
        ("what's the item count for sprint 12", "refuse", refuse("Sprint 12 exists in every project")),
        ("settings module tickets, how many", "refuse", refuse("Settings is a module of three projects")),
        ("priya patel's open tasks", "refuse", refuse("nobody is called Priya Patel")),
        ("how much did the billing platform cost", "refuse", refuse("costs are not in the data")),
        ("good morning", "refuse", refuse("not a question")),
    ]


def answers(name, export_dir):
    D = Data(export_dir, NOW[name])
    out = []
    for q, kind, fn in (kestrel() if name == "kestrel" else demo()):
        # a date answer must be the same in UTC-5, UTC and UTC+5:30 (README), or the question goes
        got = []
        for tz in (timedelta(hours=-5), timedelta(0), timedelta(hours=5, minutes=30)):
            D.tz = tz
            got.append(fn(D))
        D.tz = timedelta(0)
        if any(g != got[1] for g in got):
            raise ValueError(f"{q!r}: the answer depends on the time zone: {got}")
        exp = got[1]
        if kind in ("list", "top") and not exp:
            raise ValueError(f"{q!r}: nothing to list")
        if kind == "list" and len(exp) > 12:
            raise ValueError(f"{q!r}: {len(exp)} names is not a list a person asks for")
        if kind in ("list", "top"):
            exp = sorted(set(exp))
        out.append({"q": q, "now": NOW[name], "kind": kind, "expect": exp})
    return out


def export_demo(pms_data, db, out_dir):
    """The demo database, generated deterministically, as the export score.py and answers() read."""
    subprocess.run([pms_data, "--db", db] + DEMO_ARGS, check=True, stdout=subprocess.DEVNULL)
    os.makedirs(out_dir, exist_ok=True)
    for c in COLLECTIONS:
        r = subprocess.run([pms_data, "--db", db, "query", c, "--limit", "0"],
                           check=True, capture_output=True, text=True)
        docs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        with open(os.path.join(out_dir, f"ProjectManagement.{c}.json"), "w", encoding="utf-8") as fh:
            json.dump(docs, fh, ensure_ascii=False)


def main(argv):
    if len(argv) == 5 and argv[1] == "demo":
        export_demo(*argv[2:])
    elif len(argv) == 5 and argv[1] == "answers" and argv[2] in NOW:
        with open(argv[4], "w", encoding="utf-8") as fh:
            json.dump(answers(argv[2], argv[3]), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
