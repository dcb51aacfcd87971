// Suggested questions built from what the loaded database holds.
import type { Overview } from './api'

export function suggestQuestions(o: Overview): string[] {
  const out: string[] = []
  const pick = <T,>(a: T[], i = 0): T | undefined => a[Math.min(i, a.length - 1)]
  const state = o.states.find((s) => /progress/i.test(s)) ?? pick(o.states)
  const project = pick(o.projects)
  const member = pick(o.members)
  const priority = o.priorities.find((p) => /urgent|high/i.test(p)) ?? pick(o.priorities)
  if (state) out.push(`How many work items are ${state}?`)
  if (project) out.push(`Break down the work items in ${project} by state`)
  if (member) out.push(`What is ${member} working on?`)
  if (priority && project) out.push(`Which ${priority} priority items are open in ${pick(o.projects, 1) ?? project}?`)
  out.push('Which cycles are active right now?')
  if (o.projects.length > 1) out.push('Which project has the most work items?') // not within one project
  return out.slice(0, 6)
}
