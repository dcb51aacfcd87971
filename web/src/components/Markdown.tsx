import { memo, useContext, useMemo } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { linkEntities, type Entity } from '../entities'
import { OpenEntity } from './EntityPanel'
import { TableBlock } from './TableBlock'

// A thing the answer names: a link to the PMS when the server gave one, else a button that opens
// the chat's detail panel.
function EntityLink(props: { kind: string; id: string; url?: string; children: React.ReactNode }) {
  const open = useContext(OpenEntity)
  const label = String(props.children)
  if (props.url)
    return (
      <a className="entity-link" href={props.url} target="_blank" rel="noopener noreferrer" data-entity-kind={props.kind}>
        {props.children}
      </a>
    )
  if (!open) return <>{props.children}</>
  return (
    <button type="button" className="entity-link" aria-haspopup="dialog" data-entity-kind={props.kind} onClick={() => open({ kind: props.kind, id: props.id, text: label })}>
      {props.children}
    </button>
  )
}

const components: Components = {
  table: ({ node: _node, ...props }) => <TableBlock {...props} />,
  a: ({ node: _node, ...props }) => {
    const p = props as Record<string, unknown>
    const kind = p['data-entity-kind'], id = p['data-entity-id']
    if (typeof kind === 'string' && typeof id === 'string')
      return (
        <EntityLink kind={kind} id={id} url={typeof p['data-entity-url'] === 'string' ? (p['data-entity-url'] as string) : undefined}>
          {props.children}
        </EntityLink>
      )
    return <a {...props} />
  },
}

// Raw HTML in answers is not rendered (react-markdown escapes it). `entities`: what the answer
// names, made links (entities.ts).
export const Markdown = memo(function Markdown({ text, entities }: { text: string; entities?: Entity[] }) {
  const rehype = useMemo(() => (entities?.length ? [[linkEntities, entities] as [typeof linkEntities, Entity[]]] : []), [entities])
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={rehype} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  )
})
