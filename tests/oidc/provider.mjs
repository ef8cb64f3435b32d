// A real OpenID Connect provider on loopback for the web app's sign-in tests (issue 13): panva's oidc-provider
// with one confidential client, two test accounts with a groups claim, and a plain login page a browser can
// fill. Started by tests/web/oidc/conftest.py as `node tests/oidc/provider.mjs` with its settings in the
// environment; it prints one JSON line {"issuer": ...} on stdout once it listens, and runs until killed.
//
// Environment: OIDC_PORT (0 = a free port), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
// OIDC_POST_LOGOUT_REDIRECT_URI.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

// Test accounts: username → claims (password for all: PASSWORD). `nyanstalld` is in no group the web app maps,
// `karin` is in the group that gives samordnare, `bengt` in the one that gives skribent for BOU.
export const PASSWORD = 'kommun-losen-1';
const ACCOUNTS = {
  nyanstalld: {
    sub: 'a1f0c3e2-0001', given_name: 'Nora', family_name: 'Nyanställd', email: 'nora@kommun.example',
    groups: ['alla-anstallda'],
  },
  karin: {
    sub: 'a1f0c3e2-0002', given_name: 'Karin', family_name: 'Kommunsson', email: 'karin@kommun.example',
    groups: ['alla-anstallda', 'barnbokslut-samordnare'],
  },
  bengt: {
    sub: 'a1f0c3e2-0003', given_name: 'Bengt', family_name: 'Skrivare', email: 'bengt@kommun.example',
    groups: ['alla-anstallda', 'barnbokslut-skribent-bou'],
  },
};
const BY_SUB = Object.fromEntries(
  Object.entries(ACCOUNTS).map(([username, claims]) => [claims.sub, { username, ...claims }]),
);

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const port = Number(process.env.OIDC_PORT || 0);
const clientId = env('OIDC_CLIENT_ID');
const page = (title, body) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    post_logout_redirect_uris: [env('OIDC_POST_LOGOUT_REDIRECT_URI')],
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = page('Sign out', `${form}<p>Do you want to sign out?</p>
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<p>You are signed out.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = BY_SUB[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: account.email,
          email_verified: true,
          name: `${account.given_name} ${account.family_name}`,
          given_name: account.given_name,
          family_name: account.family_name,
          preferred_username: account.username,
          groups: account.groups,
        };
      },
    };
  },
  // The web app is the municipality's own (first-party) client: grant what it asks without a consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
};

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

let provider;
const loginForm = (uid, error = '') => page('Sign in to the municipality', `
  ${error ? `<p role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/interaction/${uid}/login">
    <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username"></p>
    <p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
    <p><button type="submit">Sign in</button></p>
  </form>`);

async function interaction(req, res) {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url, 'http://x').pathname);
  if (!match) return false;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST' && match[2]) {
    const form = await readForm(req);
    const account = ACCOUNTS[form.get('username')];
    if (!account || form.get('password') !== PASSWORD) {
      res.statusCode = 401;
      res.end(loginForm(details.uid, 'Wrong username or password.'));
      return true;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    return true;
  }
  res.end(loginForm(details.uid));
  return true;
}

const server = createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    try {
      if (!(await interaction(req, res))) callback(req, res);
    } catch (error) {
      res.statusCode = 500;
      res.end(page('Error', `<pre>${escape(error.message)}</pre>`));
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
