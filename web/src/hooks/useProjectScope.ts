import { useEffect, useReducer } from 'react'
import { listProjects } from '../api'
import { initialScope, projectParam, scopeReducer, withoutProjectParam } from '../scope'

// The open conversation's project scope and the projects to choose from. A ?project= in the
// address starts the page's new conversation in that project, and is then taken out of the address:
// the conversation's questions carry their scope, so a reload of /c/<id> restores it from them, and
// a later New chat is not pulled back into that project.
export function useProjectScope(onApiError: (e: unknown) => void) {
  const [state, dispatch] = useReducer(scopeReducer, undefined, () => initialScope(location.pathname, location.search))
  useEffect(() => {
    if (projectParam(location.search) !== null) history.replaceState(history.state, '', location.pathname + withoutProjectParam(location.search) + location.hash)
    let current = true
    listProjects().then(
      (projects) => current && dispatch({ type: 'projects', projects }),
      (e) => {
        onApiError(e)
        if (current) dispatch({ type: 'projects', projects: null })
      },
    )
    return () => {
      current = false
    }
  }, [onApiError])
  return [state, dispatch] as const
}
