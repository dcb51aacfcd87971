import { memo } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { TableBlock } from './TableBlock'

const components: Components = {
  table: ({ node: _node, ...props }) => <TableBlock {...props} />,
}

// Raw HTML in answers is not rendered (react-markdown escapes it).
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  )
})
