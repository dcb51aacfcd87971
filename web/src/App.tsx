import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { deleteConversation, listConversations, loadConversation, renameConversation, type ConversationSummary } from './api'
import { AuthRequired, setToken, takeTokenFromUrl, withToken } from './auth'
import { chatReducer, initialChatState, messagesFromStored } from './chatReducer'
import { ConnectionIndicator } from './components/ConnectionIndicator'
import { Composer } from './components/Composer'
import { MessageList } from './components/MessageList'
import { ScopeBar } from './components/ScopeBar'
import { Sidebar } from './components/Sidebar'
import { errorHint, type ClientMessage } from './protocol'
import { lastScope, scopeKey, scopeOfAnswer } from './scope'
import { useConversationUrl } from './hooks/useConversationUrl'
import { useDrawer } from './hooks/useDrawer'
import { useProjectScope } from './hooks/useProjectScope'
import { useSuggestions } from './hooks/useSuggestions'
import { RateAnswerContext, useAnswerFeedback } from './hooks/useAnswerFeedback'
import { useChatSocket } from './useChatSocket'

takeTokenFromUrl()
const wsUrl = () => withToken(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/chat`)
let sendCounter = 0

export function App() {
  const [state, dispatch] = useReducer(chatReducer, initialChatState)
  const [conversations, setConversations] = useState<ConversationSummary[]>([])
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
  const [scope, scopeDispatch] = useProjectScope(onApiError)
  const suggestions = useSuggestions(scopeKey(scope.project), onApiError)

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

  const send = (text: string, paging?: { pageOf: string }) => {
    const id = `u${++sendCounter}`
    const project = paging ? scopeOfAnswer(state.messages, paging.pageOf) : scope.project
    const msg: ClientMessage = {
      type: 'message',
      message: text,
      ...(state.conversationId ? { conversation_id: state.conversationId } : {}),
      // The next rows of a list are the planner's to fetch: no model is asked.
      ...(paging ? { mode: 'planner' as const } : {}),
      ...(project ? { project: scopeKey(project) } : {}),
    }
    const sent = socket.send(msg, id)
    dispatch({ type: 'send', id, text, queued: !sent, project, ...paging })
  }
  const requestPage = (answerId: string, text: string) => send(text, { pageOf: answerId })
  const stop = () => {
    socket.send({ type: 'cancel' })
    dispatch({ type: 'stop' })
  }
  // A new conversation asks about all projects: a scope is a conversation's choice, and one carried
  // over unseen would quietly narrow the answers of a new topic. /?project= is how to start in one.
  const startNew = useCallback(() => {
    dispatch({ type: 'new_conversation' })
    scopeDispatch({ type: 'restore', project: null })
  }, [scopeDispatch])
  // Opens a conversation (null: a new one); false when it cannot be loaded.
  const navigate = useCallback(
    async (id: string | null) => {
      if (!id) {
        startNew()
        return true
      }
      try {
        const messages = messagesFromStored(await loadConversation(id))
        dispatch({ type: 'load_conversation', conversationId: id, messages })
        scopeDispatch({ type: 'restore', project: lastScope(messages) })
        return true
      } catch (e) {
        onApiError(e)
        startNew()
        refreshList()
        return false
      }
    },
    [onApiError, refreshList, startNew, scopeDispatch],
  )
  useConversationUrl(state.conversationId, state.saved, navigate)
  const open = (id: string) => {
    drawer.close()
    void navigate(id)
  }
  const remove = async (id: string) => {
    if (!window.confirm('Delete this conversation?')) return
    await deleteConversation(id).catch(() => {})
    if (id === state.conversationId) startNew()
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
          startNew()
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
        <ScopeBar
          projects={scope.projects}
          project={scope.project}
          notice={scope.notice}
          onChoose={(id) => scopeDispatch({ type: 'choose', id })}
          onDismissNotice={() => scopeDispatch({ type: 'dismiss_notice' })}
        />
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
