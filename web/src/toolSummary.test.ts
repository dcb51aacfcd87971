import { describe, expect, it } from 'vitest'
import { formatMs, namedIds, shellQuery, shortFilter, shortResult, toolLine } from './toolSummary'

const countArgs = {
  collection: 'workItem',
  filter: { 'stateMaster.name': { $nin: ['COMPLETED', 'CANCELLED'] }, 'project._id': 'de39845b-549e-4dbf-bf52-d5ce85ec331a' },
}

describe('toolLine', () => {
  it('reads a count as name · collection · filter · result · time', () => {
    expect(toolLine({ name: 'count_documents', args: countArgs, output: '{"collection":"workItem","count":30}', elapsedMs: 2.04, running: false })).toBe(
      'count_documents · workItem · state not in COMPLETED, CANCELLED, project = de39845b… · 30 · 2.0 ms',
    )
  })

  it('says a call is running and leaves out what is not known yet', () => {
    expect(toolLine({ name: 'list_collections', args: {}, running: true })).toBe('list_collections · running…')
  })

  it('names the group key of an aggregation and counts its rows', () => {
    const args = { collection: 'workItem', pipeline: [{ $match: { priority: 'HIGH' } }, { $group: { _id: '$state.name', count: { $sum: 1 } } }] }
    const out = JSON.stringify({ results: [{ _id: 'Todo', count: 2 }, { _id: 'Done', count: 1 }], more: true })
    expect(toolLine({ name: 'aggregate', args, output: out, elapsedMs: 12.6, running: false })).toBe('aggregate · workItem · priority = HIGH, by state · 2 rows+ · 13 ms')
  })
})

describe('ids with names', () => {
  const id = 'de39845b-549e-4dbf-bf52-d5ce85ec331a'
  const names = { [id]: 'Mobile App' }
  it('reads an id as the name it stands for, in a condition and in a list', () => {
    expect(toolLine({ name: 'count_documents', args: countArgs, output: '{"count":30}', elapsedMs: 2, running: false, names })).toBe(
      'count_documents · workItem · state not in COMPLETED, CANCELLED, project = Mobile App · 30 · 2.0 ms',
    )
    expect(shortFilter({ filter: { 'cycle._id': { $in: [id, 'bd9f7f11-0000-4000-8000-000000000000'] } } }, names)).toBe('cycle in Mobile App, bd9f7f11…')
    const sprints = ['a1', 'a2', 'a3', 'a4'].map((k) => `${k}000000-0000-4000-8000-000000000000`)
    const sprintNames = Object.fromEntries(sprints.map((s) => [s, 'Sprint 12']))
    expect(shortFilter({ filter: { 'cycle._id': { $in: sprints } } }, sprintNames)).toBe('cycle in Sprint 12 ×4')
  })
  it('leaves the copied query with its ids', () => {
    expect(shellQuery('count_documents', countArgs)).toContain(id)
  })
  it('cuts a query around each quoted id that has a name', () => {
    const text = JSON.stringify({ a: id, b: [id, 'x'], c: 'de39845b' })
    expect(namedIds(text, names)).toEqual(['{"a":', { id, name: 'Mobile App' }, ',"b":[', { id, name: 'Mobile App' }, ',"x"],"c":"de39845b"}'])
    expect(namedIds(text, undefined)).toEqual([text])
  })
})

describe('shortFilter', () => {
  it('shortens long lists and reads $or/$and', () => {
    expect(shortFilter({ filter: { 'cycle._id': { $in: ['a', 'b', 'c', 'd', 'e'] } } })).toBe('cycle in a, b, c +2')
    expect(shortFilter({ filter: { $or: [{ priority: 'HIGH' }, { priority: 'URGENT' }] } })).toBe('priority = HIGH or priority = URGENT')
    expect(shortFilter({ filter: { $and: [{ a: { $gte: 1 } }, { b: { $exists: true } }] } })).toBe('a ≥ 1, b exists true')
  })
  it('is empty without a filter', () => {
    expect(shortFilter({ collection: 'project' })).toBe('')
    expect(shortFilter('not an object')).toBe('')
  })
})

describe('shortResult', () => {
  it('gives a tool error as it is and tolerates text that is not JSON', () => {
    expect(shortResult('{"error":"unknown field x"}')).toBe('unknown field x')
    expect(shortResult('plain')).toBe('plain')
    expect(shortResult(undefined)).toBe('')
    expect(shortResult('{"documents":[{}]}')).toBe('1 row')
  })
})

describe('shellQuery', () => {
  it('writes each tool as the shell query it runs', () => {
    expect(shellQuery('count_documents', countArgs)).toBe(
      'db.workItem.countDocuments({"stateMaster.name":{"$nin":["COMPLETED","CANCELLED"]},"project._id":"de39845b-549e-4dbf-bf52-d5ce85ec331a"})',
    )
    expect(shellQuery('find_documents', { collection: 'project', filter: {}, projection: { name: 1 }, sort: { name: 1 }, limit: 5 })).toBe(
      'db.project.find({}, {"name":1}).sort({"name":1}).limit(5)',
    )
    expect(shellQuery('aggregate', { collection: 'cycle', pipeline: [{ $count: 'n' }] })).toBe('db.cycle.aggregate([{"$count":"n"}])')
    expect(shellQuery('distinct_values', { collection: 'workItem', field: 'priority' })).toBe('db.workItem.distinct("priority", {})')
  })
  it('gives other calls as their JSON arguments', () => {
    expect(shellQuery('list_collections', {})).toBe('{}')
  })
})

it('formats times with one decimal below 10 ms', () => {
  expect(formatMs(0.523)).toBe('0.5 ms')
  expect(formatMs(250.4)).toBe('250 ms')
  expect(formatMs(undefined)).toBe('')
})
