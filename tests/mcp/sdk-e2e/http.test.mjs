// pms-assistant's MCP server over Streamable HTTP at /mcp, driven by the official MCP TypeScript
// SDK client against the running server (127.0.0.1, a free port), behind --auth-token and tenant
// tokens (--tenant-secret): every number is checked against the store, read with pms-data.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binDir, demoStore } from './demo_store.mjs';

const store = demoStore();
const { count, findOne } = store;
const authToken = 'e2e-auth-token';
const secret = 'e2e-tenant-secret';
let server, url, acme, northwind;

function startServer(...args) {
  const child = spawn(path.join(binDir, 'pms-assistant'),
    ['--db', store.db, '--host', '127.0.0.1', '--port', '0', '--llm', 'none', '--auth-token', authToken, ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${log}`)), 20000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${log}`)));
  });
}

const tenantToken = (business) => store.pmsData('tenant-token', '--business', business, '--secret', secret).trim();

async function connect(business, headers = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${authToken}`, 'X-PMS-Tenant': tenantToken(business), ...headers } },
  });
  const client = new Client({ name: 'pms-sdk-e2e-http', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const call = async (client, name, args) => {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.content[0].type, 'text');
  return result;
};

before(async () => {
  acme = findOne('project', { name: 'Mobile App' }).business._id;
  northwind = findOne('project', { name: 'Data Warehouse' }).business._id;
  const started = await startServer('--tenant-secret', secret);
  server = started.child;
  url = `${started.base}/mcp`;
});
after(() => {
  server?.kill('SIGTERM');
  store.remove();
});

describe('/mcp with a tenant token', () => {
  let client, transport;
  before(async () => ({ client, transport } = await connect(acme)));
  after(async () => client?.close());

  test('initialize opens a session; tools/list has the eight read-only tools', async () => {
    assert.equal(client.getServerVersion().name, 'pms-assistant');
    assert.match(transport.sessionId, /^[0-9a-f]{32}$/);
    const { tools } = await client.listTools();
    assert.equal(tools.length, 8);
    for (const t of tools) assert.equal(t.annotations.readOnlyHint, true, t.name);
    await client.ping();
  });

  test('count_documents, ask_pms and find_entity give the business\'s numbers and ids', async () => {
    const own = count('workItem', { 'business._id': acme, priority: 'HIGH' });
    assert.ok(own > 0 && own < count('workItem', { priority: 'HIGH' }));
    const c = await call(client, 'count_documents', { collection: 'workItem', filter: { priority: 'HIGH' } });
    assert.equal(c.structuredContent.count, own);
    const a = await call(client, 'ask_pms', { question: 'how many high priority work items are there?' });
    assert.equal(a.isError, false);
    assert.equal(a.structuredContent.count, own);
    const project = findOne('project', { name: 'Mobile App' });
    const f = await call(client, 'find_entity', { kind: 'project', text: 'Mobile App' });
    assert.equal(f.structuredContent.matches[0].id, project._id);
  });

  test('another business\'s documents never appear', async () => {
    const r = await call(client, 'find_documents', { collection: 'project', limit: 50 });
    assert.ok(r.structuredContent.documents.length > 0);
    for (const d of r.structuredContent.documents) assert.equal(d.business._id, acme);
    const f = await call(client, 'find_entity', { text: 'Data Warehouse' });
    assert.deepEqual(f.structuredContent.matches, []);
  });

  test('the session is the tenant\'s: another tenant\'s token cannot use it', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${authToken}`, 'X-PMS-Tenant': tenantToken(northwind), 'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': transport.sessionId, 'MCP-Protocol-Version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 404);
  });
});

describe('/mcp refusals', () => {
  const post = (headers, body) => fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };

  test('without the auth token: 401', async () => {
    const res = await post({ 'X-PMS-Tenant': tenantToken(acme) }, initialize);
    assert.equal(res.status, 401);
    await assert.rejects(async () => {
      const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { 'X-PMS-Tenant': tenantToken(acme) } } });
      await new Client({ name: 'no-token', version: '1' }).connect(transport);
    });
  });

  test('without a tenant token: 401', async () => {
    const res = await post({ Authorization: `Bearer ${authToken}` }, initialize);
    assert.equal(res.status, 401);
  });

  test('without a session id: 400; an unknown one: 404; a foreign Origin: 403', async () => {
    const auth = { Authorization: `Bearer ${authToken}`, 'X-PMS-Tenant': tenantToken(acme) };
    assert.equal((await post(auth, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).status, 400);
    assert.equal((await post({ ...auth, 'Mcp-Session-Id': '0'.repeat(32) }, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).status, 404);
    assert.equal((await post({ ...auth, Origin: 'https://evil.example' }, initialize)).status, 403);
  });

  test('no GET stream: 405', async () => {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${authToken}`, 'X-PMS-Tenant': tenantToken(acme), Accept: 'text/event-stream' } });
    assert.equal(res.status, 405);
  });

  test('an older revision is negotiated, and DELETE ends the session', async () => {
    const auth = { Authorization: `Bearer ${authToken}`, 'X-PMS-Tenant': tenantToken(acme) };
    const res = await post(auth, initialize);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    const event = (await res.text()).split('\n').find((l) => l.startsWith('data: '));
    assert.equal(JSON.parse(event.slice(6)).result.protocolVersion, '2025-06-18');
    const session = res.headers.get('mcp-session-id');
    const headers = { ...auth, 'Mcp-Session-Id': session, 'MCP-Protocol-Version': '2025-06-18' };
    assert.equal((await post(headers, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
    // 2025-06-18 has no batches.
    const batch = [{ jsonrpc: '2.0', id: 4, method: 'ping' }, { jsonrpc: '2.0', id: 5, method: 'ping' }];
    const refused = await post(headers, batch);
    const refusal = JSON.parse((await refused.text()).split('\n').find((l) => l.startsWith('data: ')).slice(6));
    assert.equal(refusal.error.code, -32600);
    assert.equal((await fetch(url, { method: 'DELETE', headers })).status, 204);
    assert.equal((await post(headers, { jsonrpc: '2.0', id: 3, method: 'ping' })).status, 404);
  });
});

describe('/mcp on a server started with --business-id', () => {
  let other, client, base;
  before(async () => {
    other = await startServer('--business-id', northwind);
    base = other.base;
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${authToken}` } } });
    client = new Client({ name: 'pms-sdk-e2e-business', version: '1.0.0' });
    await client.connect(transport);
  });
  after(async () => {
    await client?.close();
    other?.child.kill('SIGTERM');
  });

  test('counts are the business\'s own and no other business\'s document appears', async () => {
    const own = count('workItem', { 'business._id': northwind });
    assert.ok(own > 0 && own < count('workItem'));
    assert.equal((await call(client, 'count_documents', { collection: 'workItem' })).structuredContent.count, own);
    assert.equal((await call(client, 'ask_pms', { question: 'how many work items are there?' })).structuredContent.count, own);
    const r = await call(client, 'find_documents', { collection: 'workItem', limit: 50 });
    for (const d of r.structuredContent.documents) assert.equal(d.business._id, northwind);
    assert.deepEqual((await call(client, 'find_entity', { text: 'Mobile App' })).structuredContent.matches, []);
  });

  test('a 2025-03-26 session takes a batch', async () => {
    const headers = { Authorization: `Bearer ${authToken}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    const init = await fetch(`${base}/mcp`, {
      method: 'POST', headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    const session = init.headers.get('mcp-session-id');
    const res = await fetch(`${base}/mcp`, {
      method: 'POST', headers: { ...headers, 'Mcp-Session-Id': session },
      body: JSON.stringify([{ jsonrpc: '2.0', id: 2, method: 'ping' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'count_documents', arguments: { collection: 'project' } } }]),
    });
    const replies = JSON.parse((await res.text()).split('\n').find((l) => l.startsWith('data: ')).slice(6));
    assert.deepEqual(replies.map((r) => r.id), [2, 3]);
    assert.equal(replies[1].result.structuredContent.count, count('project', { 'business._id': northwind }));
  });
});
