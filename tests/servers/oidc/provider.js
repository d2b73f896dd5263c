// A real OpenID provider for Framecast's sign-in tests: panva's oidc-provider
// (OpenID certified), with native clients (RFC 8252: loopback redirect on any
// port, PKCE required) and an automatic login whose outcome the test sets
// through /control/*. README.md in this folder is the interface.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const usage = `usage: node provider.js [--host 127.0.0.1] [--port 0] --client-id ID ...
       [--es256-client-id ID ...] [--id-token-ttl SECONDS]`;

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'client-id': { type: 'string', multiple: true, default: [] },
      'es256-client-id': { type: 'string', multiple: true, default: [] },
      'id-token-ttl': { type: 'string', default: '3600' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  console.error(`provider.js: ${e.message}\n${usage}`);
  process.exit(2);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(options.port);
let idTokenTtl = Number(options['id-token-ttl']);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !(idTokenTtl > 0)
    || options['client-id'].length + options['es256-client-id'].length === 0) {
  console.error(`provider.js: needs a port, a positive --id-token-ttl and at least one client id\n${usage}`);
  process.exit(2);
}

// What the next logins do (POST /control/login); sticky until changed.
let login = { email: 'oidc-user@example.com', email_verified: true, deny: false };
// Accounts by subject, with the claims they had when they last logged in.
const accounts = new Map();
const stats = { jwks_requests: 0, token_requests: 0, logins: 0, denied: 0 };

function signingKey(type) {
  const { privateKey } = type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig',
    alg: type === 'rsa' ? 'RS256' : 'ES256' };
}
// Newest first: oidc-provider signs with the first key of an algorithm.
let keys = [signingKey('rsa'), signingKey('ec')];

function nativeClient(clientId, alg) {
  return {
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // RFC 8252 §7.3: for native clients oidc-provider matches a loopback
    // redirect on any port (it compares the URI with the port stripped).
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: alg,
  };
}
const clients = [
  ...options['client-id'].map((id) => nativeClient(id, 'RS256')),
  ...options['es256-client-id'].map((id) => nativeClient(id, 'ES256')),
];

function makeProvider(issuer) {
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Google puts email and email_verified in the id_token: so does this one
    // (by default oidc-provider keeps scope claims for /userinfo only).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { IdToken: () => idTokenTtl },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
  });
  provider.on('server_error', (_ctx, err) => console.error(`provider.js: server_error ${err.stack}`));
  return provider;
}

let provider;
let handler; // provider.callback(), made once per provider
let issuer;

function readJson(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      try { resolve(body ? JSON.parse(body) : {}); } catch (e) { reject(e); }
    });
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

// The automatic "user": no forms, the outcome is what /control/login said.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    if (login.deny) {
      stats.denied += 1;
      await provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: 'The user declined to sign in.',
      }, { mergeWithLastSubmission: false });
      return;
    }
    const sub = `user-${Buffer.from(login.email).toString('base64url')}`;
    accounts.set(sub, { email: login.email, email_verified: login.email_verified, name: login.email });
    stats.logins += 1;
    await provider.interactionFinished(req, res, { login: { accountId: sub } },
      { mergeWithLastSubmission: false });
    return;
  }
  // consent: grant what the client asked for.
  const { params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  grant.addOIDCScope(String(params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function control(req, res, path) {
  if (req.method === 'GET' && path === '/control/stats') {
    sendJson(res, 200, stats);
  } else if (req.method === 'POST' && path === '/control/login') {
    const body = await readJson(req);
    login = {
      email: typeof body.email === 'string' ? body.email : login.email,
      email_verified: body.email_verified !== false,
      deny: body.deny === true,
    };
    sendJson(res, 200, login);
  } else if (req.method === 'POST' && path === '/control/id-token-ttl') {
    const body = await readJson(req);
    if (!Number.isInteger(body.seconds) || body.seconds <= 0) {
      sendJson(res, 400, { error: 'seconds must be a positive integer' });
      return;
    }
    idTokenTtl = body.seconds;
    sendJson(res, 200, { seconds: idTokenTtl });
  } else if (req.method === 'POST' && path === '/control/rotate-keys') {
    // New signing keys first, the old ones stay published. Sessions and
    // grants live in oidc-provider's module-wide memory store and survive.
    keys = [signingKey('rsa'), signingKey('ec'), ...keys];
    provider = makeProvider(issuer);
    handler = provider.callback();
    sendJson(res, 200, { kids: keys.slice(0, 2).map((k) => k.kid) });
  } else {
    sendJson(res, 404, { error: `no control endpoint ${req.method} ${path}` });
  }
}

const server = createServer((req, res) => {
  const path = new URL(req.url, issuer).pathname;
  if (path === '/jwks') stats.jwks_requests += 1;
  if (path === '/token') stats.token_requests += 1;
  let handled;
  if (path.startsWith('/control/')) {
    handled = control(req, res, path);
  } else if (req.method === 'GET' && path.startsWith('/interaction/')) {
    handled = interaction(req, res);
  } else {
    handler(req, res);
    return;
  }
  handled.catch((e) => {
    console.error(`provider.js: ${req.method} ${path}: ${e.stack}`);
    if (!res.headersSent) sendJson(res, 500, { error: String(e.message) });
  });
});

server.listen(port, options.host, () => {
  const address = server.address();
  issuer = `http://${options.host}:${address.port}`;
  provider = makeProvider(issuer);
  handler = provider.callback();
  console.log(JSON.stringify({ issuer, port: address.port }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
