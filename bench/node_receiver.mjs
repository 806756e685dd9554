// The reference the ingest issue compares us with: a Node.js GitHub receiver built the
// usual way (@octokit/webhooks-methods verifies, ioredis with auto-pipelining stores), so
// both can be measured in one run by bench/ingest.sh (receiver=node). It does less than
// ours on purpose, as that reference did: per merged PR it refuses a replayed delivery id
// (SET NX), keeps the PR's facts in a ledger hash and moves one board (ZINCRBY) in one
// MULTI; no contests, rules, ties, teams, ordering of PR states, log or spool.
// usage: node bench/node_receiver.mjs --port P (0: any; printed as "ready P") --redis-port R [--redis-db N] --secret S
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'tests/node/package.json'));
// An ESM-only package outside this folder's node_modules path: import it by its package folder.
const methods = path.join(root, 'tests/node/node_modules/@octokit/webhooks-methods');
const { verify } = await import(pathToFileURL(path.join(methods, require(path.join(methods, 'package.json')).exports['.'].node.import)));
const Redis = require('ioredis');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  (value.startsWith('--') ? [...pairs, [value.slice(2), all[i + 1]]] : pairs), []));

const redis = new Redis({ host: '127.0.0.1', port: Number(args['redis-port']), db: Number(args['redis-db'] ?? 0),
                          enableAutoPipelining: true });
const labelPoints = { bug: 10, documentation: 2 };  // the bench contest's rules: base 1 + the largest label

function answer(response, status, outcome) {
  const body = JSON.stringify({ outcome });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function receive(request, body, response) {
  const signature = request.headers['x-hub-signature-256'];
  if (!signature || !(await verify(args.secret, body, signature))) return answer(response, 401, 'bad_signature');
  let event;
  try { event = JSON.parse(body); } catch { return answer(response, 400, 'malformed'); }
  const pr = event.pull_request;
  if (request.headers['x-github-event'] !== 'pull_request' || event.action !== 'closed' || !pr?.merged)
    return answer(response, 202, 'ignored');
  const fresh = await redis.set(`node:delivery:${request.headers['x-github-delivery']}`, '1', 'EX', 2592000, 'NX');
  if (!fresh) return answer(response, 200, 'duplicate');
  const points = 1 + Math.max(0, ...pr.labels.map((label) => labelPoints[label.name.toLowerCase()] ?? 0));
  const subject = `github:${pr.base.repo.full_name}#${pr.number}`;
  const facts = { url: pr.html_url, title: pr.title, author: pr.user.login, merged_at: pr.merged_at, points };
  await redis.multi().hset('node:ledger', subject, JSON.stringify(facts))
    .zincrby('node:board', points, pr.user.login).exec();
  answer(response, 200, 'applied');
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    receive(request, Buffer.concat(chunks).toString('utf8'), response)
      .catch((error) => { console.error(error); answer(response, 503, 'failed'); });
  });
});
server.listen(Number(args.port), '127.0.0.1', () => console.log(`ready ${server.address().port}`));
