import { useEffect, useState } from 'react'
import { loadOverview } from '../api'
import { suggestQuestions } from '../suggestions'

// The empty conversation's suggested questions, from the overview of what it may ask about: one
// project's alone while the scope is limited to it (a question naming another would be refused),
// else all of them. Read again when the scope changes; an answer for a scope left meanwhile is dropped.
export function useSuggestions(project: string, onApiError: (e: unknown) => void): string[] {
  const [suggestions, setSuggestions] = useState<string[]>([])
  useEffect(() => {
    let current = true
    loadOverview(project).then(
      (o) => current && setSuggestions(suggestQuestions(o)),
      (e) => {
        onApiError(e)
        if (current) setSuggestions([])
      },
    )
    return () => {
      current = false
    }
  }, [project, onApiError])
  return suggestions
}
