import { describe, expect, it } from 'vitest'
import { messagesFromStored } from './chatReducer'
import {
  findProject,
  initialScope,
  lastScope,
  projectLabel,
  projectParam,
  readProject,
  scopeOfAnswer,
  scopeReducer,
  withoutProjectParam,
  type Project,
  type ScopeAction,
  type ScopeState,
} from './scope'

const fleet: Project = { id: 'p1', short_id: 'FLEET', name: 'Fleet Tracker' }
const portal: Project = { id: 'p2', short_id: '', name: 'Customer Portal' }
const projects = [portal, fleet]
const run = (actions: ScopeAction[], from: ScopeState = initialScope('/', '')) => actions.reduce(scopeReducer, from)

describe('?project=', () => {
  it('is read from the query string, trimmed, and an empty one is none', () => {
    expect(projectParam('?project=FLEET')).toBe('FLEET')
    expect(projectParam('?x=1&project=%20fleet%20')).toBe('fleet')
    expect(projectParam('?project=')).toBeNull()
    expect(projectParam('')).toBeNull()
  })

  it('is taken out of the query string, leaving the rest', () => {
    expect(withoutProjectParam('?project=FLEET')).toBe('')
    expect(withoutProjectParam('?x=1&project=FLEET&y=2')).toBe('?x=1&y=2')
  })

  it('names the scope of a new conversation only: /c/<id> has its own', () => {
    expect(initialScope('/', '?project=fleet').requested).toBe('fleet')
    expect(initialScope('/c/abc', '?project=fleet').requested).toBeNull()
  })

  it('is matched on the short id in any case, or on the id', () => {
    expect(findProject(projects, 'fleet')).toBe(fleet)
    expect(findProject(projects, 'FLEET')).toBe(fleet)
    expect(findProject(projects, 'p2')).toBe(portal)
    expect(findProject(projects, 'P2')).toBeNull() // ids are not case-folded
    expect(findProject(projects, '')).toBeNull() // an empty short id matches nothing
    expect(findProject(projects, 'Fleet Tracker')).toBeNull()
  })
})

describe('scopeReducer', () => {
  it('starts at all projects and waits for the list', () => {
    expect(run([])).toEqual({ projects: null, project: null, requested: null, notice: null })
    expect(run([{ type: 'projects', projects }]).projects).toEqual(projects)
  })

  it('chooses a project of the list by id, and all projects with null', () => {
    const s = run([{ type: 'projects', projects }, { type: 'choose', id: 'p1' }])
    expect(s.project).toBe(fleet)
    expect(run([{ type: 'choose', id: null }], s).project).toBeNull()
  })

  it('opens the project that ?project= names once the list comes', () => {
    const s = run([{ type: 'projects', projects }], initialScope('/', '?project=fleet'))
    expect(s).toMatchObject({ project: fleet, requested: null, notice: null })
  })

  it('says so and stays on all projects when ?project= names none, or the list cannot be loaded', () => {
    const unknown = run([{ type: 'projects', projects }], initialScope('/', '?project=NOPE'))
    expect(unknown).toMatchObject({ project: null, requested: null })
    expect(unknown.notice).toMatch(/no project “NOPE”.*all projects/)
    const failed = run([{ type: 'projects', projects: null }], initialScope('/', '?project=FLEET'))
    expect(failed).toMatchObject({ project: null, projects: [] })
    expect(failed.notice).toMatch(/could not be loaded.*all projects/)
    expect(run([{ type: 'dismiss_notice' }], unknown).notice).toBeNull()
  })

  it('restores an opened conversation, which wins over a ?project= still waiting', () => {
    const s = run([{ type: 'restore', project: portal }, { type: 'projects', projects }], initialScope('/', '?project=fleet'))
    expect(s).toMatchObject({ project: portal, requested: null, notice: null })
    expect(run([{ type: 'restore', project: null }], s).project).toBeNull()
  })
})

describe('a conversation’s scope', () => {
  const stored = [
    { role: 'user', content: 'how many bugs', project: { id: 'p1', short_id: 'FLEET', name: 'Fleet Tracker' } },
    { role: 'assistant', content: '4 bugs' },
    { role: 'user', content: 'and in all', project: { id: 'p2', name: 'Customer Portal' } },
    { role: 'assistant', content: '9 bugs' },
  ]

  it('is that of its last question', () => {
    expect(lastScope(messagesFromStored(stored))).toEqual(portal)
    expect(lastScope(messagesFromStored(stored.slice(0, 2)))).toEqual(fleet)
    expect(lastScope(messagesFromStored([...stored, { role: 'user', content: 'everything' }]))).toBeNull()
    expect(lastScope([])).toBeNull()
  })

  it('of an answer is that of the question it replied to', () => {
    const messages = messagesFromStored(stored)
    expect(scopeOfAnswer(messages, messages[1].id)).toEqual(fleet)
    expect(scopeOfAnswer(messages, messages[3].id)).toEqual(portal)
    expect(scopeOfAnswer(messages, 'gone')).toBeNull()
  })

  it('reads only well-formed projects', () => {
    expect(readProject({ id: 'p1', short_id: 'FLEET', name: 'Fleet Tracker' })).toEqual(fleet)
    expect(readProject({ id: 'p2', name: 'Customer Portal' })).toEqual(portal)
    expect(readProject({ short_id: 'X', name: 'No id' })).toBeUndefined()
    expect(readProject('FLEET')).toBeUndefined()
    expect(readProject(null)).toBeUndefined()
  })

  it('is labelled by name and short id', () => {
    expect(projectLabel(fleet)).toBe('Fleet Tracker · FLEET')
    expect(projectLabel(portal)).toBe('Customer Portal')
  })
})
