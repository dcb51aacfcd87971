import { describe, expect, it } from 'vitest'
import { splitSuggestions } from './followUps'

// As understanding/refusal.cpp writes it.
const refusal =
  'I can\'t answer that with confidence. I did not understand "weather".\n\nWhat I understood: project is Mobile App.\n\n' +
  'Questions I can answer, for example:\n- How many open work items are there?\n- Work items by state\n- Latest bugs in Customer Portal'

describe('splitSuggestions', () => {
  it('takes the suggested questions out of a refusal', () => {
    expect(splitSuggestions(refusal)).toEqual({
      text: 'I can\'t answer that with confidence. I did not understand "weather".\n\nWhat I understood: project is Mobile App.',
      questions: ['How many open work items are there?', 'Work items by state', 'Latest bugs in Customer Portal'],
    })
  })

  it('keeps what follows the list', () => {
    const r = splitSuggestions('No.\n\nQuestions I can answer:\n\n* A?\n* B?\n\nOr ask an admin.')
    expect(r).toEqual({ text: 'No.\n\nOr ask an admin.', questions: ['A?', 'B?'] })
  })

  it('leaves other answers alone', () => {
    const plain = '**30** work items match.\n\n- MAA2-4\n- MAA2-5'
    expect(splitSuggestions(plain)).toEqual({ text: plain, questions: [] })
    const noList = 'Questions I can answer, for example:\nnone today'
    expect(splitSuggestions(noList)).toEqual({ text: noList, questions: [] })
  })
})
