"""The meaning of PMS questions, computed straight from an export (../shared/eval/README.md,
"What the answers mean"), independently of the planner in src/understanding/.

Things are found by identity: a project, cycle, module, epic or person named in a question is
looked up in its own collection and documents are matched on the reference `_id`, whether or not
the reference repeats the name. State groups come from `stateMaster`; dates are UTC unless a
time-zone offset is set (to check that an answer does not depend on it); weeks start on Monday."""
import json, os, re, unicodedata
from datetime import datetime, timedelta, timezone

def plain(v):
    """Extended JSON (canonical or relaxed) to plain values: ids to strings, dates to datetimes."""
    if isinstance(v, dict):
        if "$binary" in v:
            return "bin:" + v["$binary"]["base64"]
        if "$date" in v:
            d = v["$date"]
            return to_time(d if isinstance(d, str) else d.get("$numberLong"))
        for k in ("$numberLong", "$numberInt"):
            if k in v:
                return int(v[k])
        if "$numberDouble" in v:
            return float(v["$numberDouble"])
        if "$oid" in v:
            return v["$oid"]
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", v):
        return to_time(v)   # the relaxed export of the embedded store keeps dates as ISO strings
    return v


def to_time(s):
    if isinstance(s, (int, str)) and str(s).lstrip("-").isdigit():
        return datetime.fromtimestamp(int(s) / 1000, timezone.utc)
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def fold(s):
    """Case- and accent-insensitive form of a name, for looking a name up (not for matching)."""
    s = unicodedata.normalize("NFKD", s or "")
    return re.sub(r"\s+", " ", "".join(c for c in s if not unicodedata.combining(c))).strip().lower()


def refs(doc, field):
    """The references a field holds: missing, None, one {_id, name} or a list of them."""
    v = doc.get(field)
    if v is None:
        return []
    return [r for r in (v if isinstance(v, list) else [v]) if isinstance(r, dict) and r.get("_id")]


def ref_id(doc, field):
    r = refs(doc, field)
    return r[0]["_id"] if r else None


def group(doc):
    """The state group (stateMaster), lowercase, or None when the document has no state."""
    name = (doc.get("stateMaster") or {}).get("name")
    return name.lower() if name else None


class Data:
    def __init__(self, export_dir, now):
        self.c = {}
        for f in sorted(os.listdir(export_dir)):
            m = re.fullmatch(r"ProjectManagement\.(\w+)\.json", f)
            if m:
                with open(os.path.join(export_dir, f), encoding="utf-8") as fh:
                    self.c[m.group(1)] = [plain(x) for x in json.load(fh)]
        self.now = to_time(now)
        self.tz = timedelta(0)   # offset of the asker's clock; answers must not depend on it

    # ---- finding things by name, in their own collection --------------------------------------
    def one(self, coll, name, project=None, key="title"):
        hits = [d for d in self.c[coll] if fold(d.get(key)) == fold(name)
                and (project is None or ref_id(d, "project") == self.project(project))]
        if len(hits) != 1:
            raise ValueError(f"{coll} {name!r} (project {project!r}) matches {len(hits)} documents")
        return hits[0]["_id"]

    def project(self, name):
        hits = [p["_id"] for p in self.c["project"] if fold(name) in (fold(p["name"]), fold(p["projectDisplayId"]))]
        if len(hits) != 1:
            raise ValueError(f"project {name!r} matches {len(hits)}")
        return hits[0]

    def person(self, name):
        ids = {m["memberId"] for m in self.c["members"] if fold(m["name"]) == fold(name)}
        if len(ids) != 1:
            raise ValueError(f"person {name!r} matches {len(ids)}")
        return ids.pop()

    # ---- predicates on a work item (or any document with the same references) -------------------
    def in_project(self, name):
        pid = self.project(name)
        return lambda d: ref_id(d, "project") == pid

    def in_cycle(self, title, project):
        cid = self.one("cycle", title, project)
        return lambda d: cid in {r["_id"] for r in refs(d, "cycle")}

    def in_module(self, title, project):
        mid = self.one("module", title, project)
        return lambda d: mid in {r["_id"] for r in refs(d, "modules")}

    def assigned_to(self, name):
        pid = self.person(name)
        return lambda d: pid in {r["_id"] for r in refs(d, "assignee")}

    def created_by(self, name):
        pid = self.person(name)
        return lambda d: ref_id(d, "createdBy") == pid

    @staticmethod
    def unassigned(d):
        return not refs(d, "assignee")

    @staticmethod
    def open(d):
        if group(d) is None:
            raise ValueError("'open' asked where an item has no state")
        return group(d) not in ("completed", "cancelled")

    @staticmethod
    def done(d):
        return group(d) == "completed"

    @staticmethod
    def cancelled(d):
        return group(d) == "cancelled"

    @staticmethod
    def in_group(g):
        return lambda d: group(d) == g

    @staticmethod
    def state(name):
        return lambda d: fold((d.get("state") or {}).get("name")) == fold(name)

    @staticmethod
    def priority(p):
        return lambda d: d.get("priority") == p

    @staticmethod
    def label(name):
        return lambda d: fold(name) in {fold(r.get("name")) for r in refs(d, "label")}

    def overdue(self, d):
        end = d.get("endDate")
        return self.open(d) and end is not None and self.local(end).date() < self.today()

    # ---- time, on the asker's clock ----------------------------------------------------------
    def local(self, t):
        return t + self.tz

    def today(self):
        return self.local(self.now).date()

    def between(self, field, start, end):
        """Local dates start <= day < end."""
        return lambda d: d.get(field) is not None and start <= self.local(d[field]).date() < end

    def this_week(self, field):
        monday = self.today() - timedelta(days=self.today().weekday())
        return self.between(field, monday, self.today() + timedelta(days=1))

    def last_week(self, field):
        monday = self.today() - timedelta(days=self.today().weekday())
        return self.between(field, monday - timedelta(days=7), monday)

    def in_month(self, field, month):
        """The month of this name, this year or, if it is still to come, last year."""
        y = self.today().year - (month > self.today().month)
        start = datetime(y, month, 1).date()
        return self.between(field, start, (start + timedelta(days=32)).replace(day=1))

    # ---- answers ---------------------------------------------------------------------------
    def items(self, *preds, coll="workItem"):
        return [d for d in self.c[coll] if all(p(d) for p in preds)]

    def count(self, *preds, coll="workItem"):
        return len(self.items(*preds, coll=coll))

    def titles(self, *preds, coll="workItem", key="title"):
        return [d[key] for d in self.items(*preds, coll=coll)]

    def members_of(self, project):
        pid = self.project(project)
        people = {}
        for m in self.c["members"]:
            if ref_id(m, "project") == pid:
                people.setdefault(m["memberId"], m["name"])
        return people   # distinct people by id, not membership rows

    def by(self, key, *preds, coll="workItem"):
        """Counts per value of key(doc) (a value or a list of values), over matching documents."""
        out = {}
        for d in self.items(*preds, coll=coll):
            ks = key(d)
            for k in (ks if isinstance(ks, list) else [ks]):
                if k is not None:
                    out[k] = out.get(k, 0) + 1
        return out

    def top(self, key, *preds, coll="workItem"):
        """The single value with the most; refuses a tie (a top question must have one answer)."""
        counts = sorted(self.by(key, *preds, coll=coll).items(), key=lambda kv: -kv[1])
        if len(counts) > 1 and counts[0][1] == counts[1][1]:
            raise ValueError(f"tie for the top: {counts[:3]}")
        return [counts[0][0]]

    def title_of(self, coll, _id):
        """Key for by()/top() over references: the referenced document's own name."""
        d = next(x for x in self.c[coll] if x["_id"] == _id)
        return d.get("title") or d.get("name")

    def person_name(self, _id):
        return next((m["name"] for m in self.c["members"] if m["memberId"] == _id), None)

    def assignee_names(self, d):
        """Key for by()/top(): each assignee, by the name their member record holds."""
        names = {m["memberId"]: m["name"] for m in self.c["members"]}
        return [names.get(r["_id"], r.get("name")) for r in refs(d, "assignee")]


# key functions for by() and top()


def state_name(d):
    return (d.get("state") or {}).get("name")


def label_names(d):
    return [r.get("name") for r in refs(d, "label")]
