// Questions offered after an answer. Pure.
// A refusal's: the server writes them into the answer's Markdown ("Questions I can answer, for
// example:" and a bullet list, see understanding/refusal.cpp), so they are read back from there
// and shown as buttons instead.
const HEADING = /^Questions I can answer[^\n]*:[ \t]*$/m

export function splitSuggestions(text: string): { text: string; questions: string[] } {
  const m = HEADING.exec(text)
  if (!m) return { text, questions: [] }
  const after = text.slice(m.index + m[0].length).split('\n')
  const questions: string[] = []
  let i = 0
  for (; i < after.length; ++i) {
    const line = after[i].trim()
    if (!line && questions.length === 0) continue
    const bullet = /^[-*+]\s+(.+)$/.exec(line)
    if (!bullet) break
    questions.push(bullet[1].trim())
  }
  if (questions.length === 0) return { text, questions: [] }
  const rest = after.slice(i).join('\n').trim()
  return { text: [text.slice(0, m.index).trimEnd(), rest].filter(Boolean).join('\n\n'), questions }
}

// complete.suggestions: up to three follow-up questions, if it is a list of them.
export function readSuggestions(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined
  const questions = [...new Set(v.filter((q): q is string => typeof q === 'string').map((q) => q.trim()).filter(Boolean))].slice(0, 3)
  return questions.length ? questions : undefined
}
