// A real OpenID provider (oidc-provider) for enkat's sign-in tests
// (tests/suite/oidc.rs): one client `enkat`, a few test users with groups,
// and no login form: the person to sign in is chosen beforehand by the
// test (`GET /_test/next?user=...`), so a test signs in by following
// redirects. `&tamper=audience|expired|other-key` makes the next ID token
// from the token endpoint wrong in that one way, re-signed (with the
// provider's own key, or another one): the checks enkat must make.
//
// node provider.mjs REDIRECT_URI POST_LOGOUT_REDIRECT_URI
// prints `issuer http://127.0.0.1:PORT` once it listens.
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const [redirectUri, postLogoutUri] = process.argv.slice(2);
const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const signing = (await jose.generateKeyPair('RS256', { extractable: true })).privateKey;
const stranger = (await jose.generateKeyPair('RS256', { extractable: true })).privateKey;
const jwk = { ...(await jose.exportJWK(signing)), kid: 'test-key', alg: 'RS256', use: 'sig' };

// By subject (opaque, as Entra's are): the claims each user has.
const users = {
  'sub-anna-0001': { preferred_username: 'anna.berg@kommun.example', name: 'Anna Berg', groups: ['enkat-nexus-samordnare', 'alla-anstallda'] },
  'sub-greta-0002': { preferred_username: 'greta@kommun.example', name: 'Greta Admin', groups: ['enkat-admins'] },
  'sub-olle-0003': { preferred_username: 'olle@kommun.example', name: 'Olle Utan', groups: ['alla-anstallda'] },
};
let next = { user: 'sub-anna-0001', tamper: null };

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'enkat',
    client_secret: 'test-client-secret',
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['enkat-test-cookie-key'] },
  findAccount: async (ctx, sub) => users[sub] && { accountId: sub, claims: async () => ({ sub, ...users[sub] }) },
  claims: { openid: ['sub', 'groups'], profile: ['name', 'preferred_username'] },
  // The groups in the ID token itself, as Entra and Keycloak put them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // No consent screen: the organisation's own application.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    await grant.save();
    return grant;
  },
});

// After the token endpoint answered: make its ID token wrong, if asked.
provider.use(async (ctx, nextMiddleware) => {
  await nextMiddleware();
  if (ctx.oidc?.route !== 'token' || !ctx.body?.id_token || !next.tamper) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (next.tamper === 'audience') claims.aud = 'another-client';
  if (next.tamper === 'expired') Object.assign(claims, { iat: now - 3600, exp: now - 600 });
  const key = next.tamper === 'other-key' ? stranger : signing;
  ctx.body.id_token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(key);
});

const callback = provider.callback();
server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname === '/_test/next') {
      next = { user: url.searchParams.get('user') ?? next.user, tamper: url.searchParams.get('tamper') };
      res.end('ok');
    } else if (url.pathname.startsWith('/interaction/')) {
      await provider.interactionDetails(req, res);
      await provider.interactionFinished(req, res, { login: { accountId: next.user } }, { mergeWithLastSubmission: false });
    } else {
      callback(req, res);
    }
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
console.log(`issuer ${issuer}`);
