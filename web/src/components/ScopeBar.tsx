import { useRef } from 'react'
import { projectLabel, type Project } from '../scope'

// Above the composer: which project the conversation's questions are limited to (a labelled select,
// "All projects" first), and while one is, a chip saying so whose × goes back to all projects.
export function ScopeBar(props: {
  projects: Project[] | null
  project: Project | null
  notice: string | null
  onChoose: (id: string | null) => void
  onDismissNotice: () => void
}) {
  const { project } = props
  const select = useRef<HTMLSelectElement>(null)
  // A restored scope is offered even when the list does not have it (not loaded yet, or gone since).
  const options = [...(props.projects ?? [])]
  if (project && !options.some((p) => p.id === project.id)) options.unshift(project)
  return (
    <div className="scope-bar">
      <div className="scope-select">
        <label htmlFor="scope" className="muted small">
          Project
        </label>
        <select id="scope" ref={select} value={project?.id ?? ''} onChange={(e) => props.onChoose(e.target.value || null)}>
          <option value="">All projects</option>
          {options.map((p) => (
            <option key={p.id} value={p.id}>
              {projectLabel(p)}
            </option>
          ))}
        </select>
      </div>
      {project && (
        <span className="scope-chip" data-testid="scope-chip">
          <span className="scope-chip-text">
            Answers only about <strong>{projectLabel(project)}</strong>
          </span>
          <button type="button" aria-label={`Stop limiting answers to ${project.name}: all projects`} title="All projects"
            onClick={() => {
              props.onChoose(null)
              select.current?.focus() // the chip and its button go away
            }}
          >
            ×
          </button>
        </span>
      )}
      {props.notice && (
        <p className="scope-notice" role="alert">
          {props.notice}{' '}
          <button type="button" className="link" onClick={props.onDismissNotice}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  )
}
