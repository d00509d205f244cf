// Sign-in through Vigil's own authorization server: OAuth 2.0 authorization code with PKCE, as a
// public client ("vigil-web"). Tokens live in this tab's sessionStorage only, so closing the tab
// signs out; nothing is kept in cookies for another site's request to ride on.

const CLIENT = 'vigil-web';
const SCOPES = 'openid user/*.rs user/Observation.c user/MedicationRequest.cu user/Device.cu user/AuditEvent.rs patient/*.rs patient/AuditEvent.rs user/Appointment.cu user/Schedule.c user/Slot.c patient/Appointment.cu';
const KEY = 'vigil.session';
const PENDING = 'vigil.signin';

function redirectUri() {
  return `${location.origin}/app/callback`;
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(length = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

async function challengeOf(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

/** The claims of a JWT access token (only read, never trusted: the API checks the signature). */
function claimsOf(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(part))));
}

function store(tokens) {
  const claims = claimsOf(tokens.access_token);
  const session = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: Date.now() + (tokens.expires_in || 300) * 1000,
    user: claims.sub,
    role: claims.vigil_role || null,
    patient: claims.patient || null,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function session() {
  const raw = sessionStorage.getItem(KEY);
  return raw ? JSON.parse(raw) : null;
}

/** Sends the browser to the sign-in page; it comes back to /app/callback. */
export async function signIn() {
  const verifier = randomText();
  const state = randomText(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: location.hash }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT,
    scope: SCOPES,
    redirect_uri: redirectUri(),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`/oauth2/authorize?${query}`);
}

/** Finishes a sign-in on /app/callback: checks the state and trades the code for tokens. */
export async function finishSignIn() {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  if (params.get('error')) {
    throw new Error(`Sign-in refused: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || params.get('state') !== pending.state) {
    throw new Error('This sign-in did not start here; please sign in again.');
  }
  const response = await fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: CLIENT,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) {
    throw new Error(`Sign-in failed (${response.status}); please sign in again.`);
  }
  store(await response.json());
  history.replaceState(null, '', `/${pending.returnTo || '#/'}`);
}

let refreshing = null;

/** A valid access token, refreshed when it is about to expire; null when signed out. */
export async function accessToken() {
  const current = session();
  if (!current) return null;
  if (current.expiresAt - Date.now() > 30_000) return current.accessToken;
  if (!current.refreshToken) return null;
  refreshing ??= fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: current.refreshToken,
      client_id: CLIENT,
    }),
  })
    .then(async (r) => (r.ok ? store(await r.json()).accessToken : null))
    .finally(() => { refreshing = null; });
  return refreshing;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  location.assign('/logout');
}
