import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { deleteConversation, listConversations, loadConversation, loadOverview, renameConversation, type ConversationSummary } from './api'
import { AuthRequired, setToken, takeTokenFromUrl, withToken } from './auth'
import { chatReducer, initialChatState, messagesFromStored } from './chatReducer'
import { ConnectionIndicator } from './components/ConnectionIndicator'
import { Composer } from './components/Composer'
import { MessageList } from './components/MessageList'
import { Sidebar } from './components/Sidebar'
import { errorHint, type ClientMessage } from './protocol'
import { suggestQuestions } from './suggestions'
import { useConversationUrl } from './hooks/useConversationUrl'
import { useDrawer } from './hooks/useDrawer'
import { RateAnswerContext, useAnswerFeedback } from './hooks/useAnswerFeedback'
import { useChatSocket } from './useChatSocket'

takeTokenFromUrl()
const wsUrl = () => withToken(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/chat`)
let sendCounter = 0

export function App() {
  const [state, dispatch] = useReducer(chatReducer, initialChatState)
  const [conversations, setConversations] = useState<ConversationSummary[]>([])
  const [suggestions, setSuggestions] = useState<string[]>([])
  const drawer = useDrawer()
  const composerRef = useRef<HTMLTextAreaElement>(null)
  const [needToken, setNeedToken] = useState(false)
  const onApiError = useCallback((e: unknown) => {
    if (e instanceof AuthRequired) setNeedToken(true)
  }, [])
  const socket = useChatSocket(
    wsUrl(),
    (event) => dispatch({ type: 'event', event }),
    (id) => dispatch({ type: 'sent', id }),
  )

  const rate = useAnswerFeedback(state, dispatch)

  useEffect(() => {
    if (socket.status === 'reconnecting' || socket.status === 'offline') dispatch({ type: 'connection_lost' })
  }, [socket.status])

  const refreshList = useCallback(() => {
    listConversations().then(setConversations).catch(onApiError)
  }, [onApiError])
  useEffect(refreshList, [refreshList])
  // A finished turn may have created or renamed a conversation.
  useEffect(() => {
    if (!state.turnActive) refreshList()
  }, [state.turnActive, refreshList])
  useEffect(() => {
    loadOverview()
      .then((o) => setSuggestions(suggestQuestions(o)))
      .catch((e) => {
        setSuggestions([])
        onApiError(e)
      })
  }, [onApiError])

  const send = (text: string, paging?: { pageOf: string }) => {
    const id = `u${++sendCounter}`
    const msg: ClientMessage = {
      type: 'message',
      message: text,
      ...(state.conversationId ? { conversation_id: state.conversationId } : {}),
      // The next rows of a list are the planner's to fetch: no model is asked.
      ...(paging ? { mode: 'planner' as const } : {}),
    }
    const sent = socket.send(msg, id)
    dispatch({ type: 'send', id, text, queued: !sent, ...paging })
  }
  const requestPage = (answerId: string, text: string) => send(text, { pageOf: answerId })
  const stop = () => {
    socket.send({ type: 'cancel' })
    dispatch({ type: 'stop' })
  }
  // Opens a conversation (null: a new one); false when it cannot be loaded.
  const navigate = useCallback(
    async (id: string | null) => {
      if (!id) {
        dispatch({ type: 'new_conversation' })
        return true
      }
      try {
        const stored = await loadConversation(id)
        dispatch({ type: 'load_conversation', conversationId: id, messages: messagesFromStored(stored) })
        return true
      } catch (e) {
        onApiError(e)
        dispatch({ type: 'new_conversation' })
        refreshList()
        return false
      }
    },
    [onApiError, refreshList],
  )
  useConversationUrl(state.conversationId, state.turnActive, navigate)
  const open = (id: string) => {
    drawer.close()
    void navigate(id)
  }
  const remove = async (id: string) => {
    if (!window.confirm('Delete this conversation?')) return
    await deleteConversation(id).catch(() => {})
    if (id === state.conversationId) dispatch({ type: 'new_conversation' })
    refreshList()
  }
  const rename = async (id: string, title: string) => {
    await renameConversation(id, title)
    refreshList()
  }

  if (needToken) return <TokenPrompt />

  return (
    <div className={`app ${drawer.open ? 'menu-open' : ''}`}>
      <a
        className="skip-link"
        href="#question"
        onClick={(e) => {
          e.preventDefault()
          composerRef.current?.focus()
        }}
      >
        Skip to the question box
      </a>
      <Sidebar
        drawerRef={drawer.drawerRef}
        conversations={conversations}
        activeId={state.conversationId}
        onOpen={open}
        onNew={() => {
          drawer.close()
          dispatch({ type: 'new_conversation' })
        }}
        onDelete={remove}
        onRename={rename}
        search={listConversations}
      />
      <main className="chat">
        <header className="topbar">
          <button type="button" className="menu" ref={drawer.buttonRef} aria-label="Conversations" aria-expanded={drawer.open} onClick={drawer.toggle}>
            {drawer.open ? '✕' : '☰'}
          </button>
          <h1>PMS Assistant</h1>
          <ConnectionIndicator status={socket.status} nextAttemptAt={socket.nextAttemptAt} onReconnect={socket.reconnectNow} />
        </header>
        <RateAnswerContext.Provider value={rate}>
          <MessageList messages={state.messages} onAsk={state.turnActive ? undefined : send} onPage={state.turnActive ? undefined : requestPage}>
            {state.messages.length === 0 && (
              <div className="empty-state">
                <p>Ask about the projects, work items, cycles and people in the database.</p>
                <ul className="suggestions" aria-label="Suggested questions">
                  {suggestions.map((s) => (
                    <li key={s}>
                      <button type="button" onClick={() => send(s)}>
                        {s}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </MessageList>
        </RateAnswerContext.Provider>
        {state.notice && (
          <div className="notice" role="alert">
            {state.notice.message} {errorHint(state.notice.code)}
            <button type="button" className="link" onClick={() => dispatch({ type: 'dismiss_notice' })}>
              Dismiss
            </button>
          </div>
        )}
        <Composer inputRef={composerRef} busy={state.turnActive} stopping={state.stopping} onSend={send} onStop={stop} />
      </main>
      {drawer.open && <div className="backdrop" aria-hidden="true" />}
    </div>
  )
}

// Shown when the server wants an access token (--auth-token) and we have none or a wrong one.
function TokenPrompt() {
  const [value, setValue] = useState('')
  return (
    <main className="token-prompt">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setToken(value)
          location.reload()
        }}
      >
        <h1>PMS Assistant</h1>
        <p>This server needs an access token. Ask whoever runs it, or open the link with <code>#token=…</code>.</p>
        <label htmlFor="token">Access token</label>
        <input id="token" type="password" autoComplete="current-password" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        <button type="submit" disabled={!value.trim()}>
          Continue
        </button>
      </form>
    </main>
  )
}
