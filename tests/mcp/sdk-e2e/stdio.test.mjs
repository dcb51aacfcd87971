// pms-assistant's MCP server over stdio, driven by the official MCP TypeScript SDK client: the SDK
// spawns `pms-assistant mcp --db <demo file>`; every number is checked against the store, read
// with pms-data.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binDir, demoStore } from './demo_store.mjs';

const store = demoStore();
const { db, count, findOne } = store;

async function connect(...extraArgs) {
  const transport = new StdioClientTransport({
    command: path.join(binDir, 'pms-assistant'),
    args: ['mcp', '--db', db, '--log-level', 'error', ...extraArgs],
    stderr: 'inherit',
  });
  const client = new Client({ name: 'pms-sdk-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const call = async (client, name, args) => {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.content[0].type, 'text');
  return result;
};

after(() => store.remove());

describe('pms-assistant mcp over stdio, whole database', () => {
  let client;
  before(async () => (client = await connect()));
  after(async () => client?.close());

  test('initialize: server info, tools capability, newest revision', async () => {
    assert.equal(client.getServerVersion().name, 'pms-assistant');
    assert.ok(client.getServerCapabilities().tools);
    assert.equal(LATEST_PROTOCOL_VERSION, '2025-11-25');
    assert.match(client.getInstructions(), /ask_pms/);
    await client.ping();
  });

  test('tools/list: the model\'s six tools, ask_pms and find_entity, read-only', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'aggregate', 'ask_pms', 'collection_schema', 'count_documents', 'distinct_values', 'find_documents', 'find_entity', 'list_collections',
    ]);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.annotations.readOnlyHint, true, t.name);
      assert.equal(t.annotations.openWorldHint, false, t.name);
    }
  });

  test('count_documents counts what the store holds', async () => {
    const filter = { priority: 'HIGH' };
    const r = await call(client, 'count_documents', { collection: 'workItem', filter });
    assert.equal(r.isError, false);
    assert.equal(r.structuredContent.count, count('workItem', filter));
    assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent);
  });

  test('ask_pms answers with the store\'s number, its plan and tool calls', async () => {
    const r = await call(client, 'ask_pms', { question: 'how many urgent work items are in Mobile App?' });
    assert.equal(r.isError, false);
    const want = count('workItem', { priority: 'URGENT', 'project.name': 'Mobile App' });
    assert.ok(want > 0);
    assert.equal(r.structuredContent.count, want);
    assert.match(r.content[0].text, new RegExp(`\\b${want}\\b`));
    assert.equal(r.structuredContent.tool_calls[0].name, 'count_documents');
  });

  test('ask_pms refuses what it does not understand as a normal result', async () => {
    const r = await call(client, 'ask_pms', { question: 'what is the meaning of life?' });
    assert.equal(r.isError, false);
    assert.equal(r.structuredContent.answered, false);
    assert.ok(r.structuredContent.suggestions.length > 0);
  });

  test('find_entity resolves a project name and a work item number to their ids', async () => {
    const project = findOne('project', { name: 'Mobile App' });
    const p = await call(client, 'find_entity', { kind: 'project', text: 'mobile app' });
    assert.equal(p.structuredContent.matches[0].id, project._id);
    assert.equal(p.structuredContent.matches[0].short_id, project.projectDisplayId);
    const item = findOne('workItem', { displayBugNo: `${project.projectDisplayId}-1` });
    const w = await call(client, 'find_entity', { text: item.displayBugNo });
    assert.equal(w.structuredContent.matches[0].kind, 'work_item');
    assert.equal(w.structuredContent.matches[0].id, item._id);
  });

  test('e-mail addresses are redacted, as for the model', async () => {
    assert.match(JSON.stringify(findOne('members', {})), /@/);
    const r = await call(client, 'find_documents', { collection: 'members', limit: 50 });
    assert.ok(r.structuredContent.documents.length > 0);
    assert.doesNotMatch(r.content[0].text, /@/);
  });

  test('unknown tools are JSON-RPC errors', async () => {
    await assert.rejects(client.callTool({ name: 'drop_database', arguments: {} }), /unknown tool/);
  });
});

describe('pms-assistant mcp --business-id', () => {
  let client, business, other;
  before(async () => {
    business = findOne('project', { name: 'Mobile App' }).business._id;
    other = findOne('project', { name: 'Data Warehouse' }).business._id;
    assert.notEqual(business, other);
    client = await connect('--business-id', business);
  });
  after(async () => client?.close());

  test('counts are the business\'s own', async () => {
    const own = count('workItem', { 'business._id': business });
    assert.ok(own > 0 && own < count('workItem'));
    const r = await call(client, 'count_documents', { collection: 'workItem' });
    assert.equal(r.structuredContent.count, own);
    const a = await call(client, 'ask_pms', { question: 'how many work items are there?' });
    assert.equal(a.structuredContent.count, own);
  });

  test('another business\'s documents never appear', async () => {
    const r = await call(client, 'find_documents', { collection: 'workItem', limit: 50 });
    assert.equal(r.structuredContent.documents.length, 50);
    for (const d of r.structuredContent.documents) assert.equal(d.business._id, business);
    const asked = await call(client, 'count_documents', { collection: 'workItem', filter: { 'business._id': other } });
    assert.equal(asked.structuredContent.count, 0);
    const g = await call(client, 'aggregate', { collection: 'workItem', pipeline: [{ $group: { _id: '$business._id', n: { $sum: 1 } } }] });
    assert.deepEqual(g.structuredContent.results.map((x) => x._id), [business]);
    const f = await call(client, 'find_entity', { text: 'Data Warehouse' });
    assert.deepEqual(f.structuredContent.matches, []);
  });
});
