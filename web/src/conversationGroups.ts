// The sidebar's sections: conversations by the local day of their last activity (Today,
// Yesterday, then the date), newest first as the list comes. Pure; `now` is passed in.
import type { ConversationSummary } from './api'

export interface DayGroup {
  label: string
  conversations: ConversationSummary[]
}

const dayStart = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()

export function dayLabel(when: Date, now: Date): string {
  const days = Math.round((dayStart(now) - dayStart(when)) / 86_400_000)
  if (days === 0) return 'Today'
  if (days === 1) return 'Yesterday'
  const sameYear = when.getFullYear() === now.getFullYear()
  return when.toLocaleDateString(undefined, { weekday: days > 1 && days < 7 ? 'long' : undefined, day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) })
}

export function groupByDay(list: ConversationSummary[], now: Date): DayGroup[] {
  const groups: DayGroup[] = []
  for (const c of list) {
    const when = new Date(c.updated_at)
    const label = Number.isNaN(when.getTime()) ? 'Earlier' : dayLabel(when, now)
    const last = groups[groups.length - 1]
    if (last && last.label === label) last.conversations.push(c)
    else groups.push({ label, conversations: [c] })
  }
  return groups
}
