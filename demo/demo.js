// The demo's own script: sign-in form, call form, event log. Everything the
// page shows from other people (uids, data) goes in as textContent.
const $ = (id) => document.getElementById(id);
const client = $('client');
const call = $('call');
const KEY = 'wd-demo-uid'; // per tab: two tabs can be two people

function signIn(uid) {
  sessionStorage.setItem(KEY, uid);
  $('my-uid').textContent = uid;
  client.uid = uid;
  client.anonymous = true;
  client.hidden = false;
  $('signin').hidden = true;
  $('remote').focus();
}

function signOut() {
  sessionStorage.removeItem(KEY);
  call.hangup();
  client.anonymous = false;
  client.uid = '';
  client.hidden = true;
  $('signin').hidden = false;
  $('name').focus();
}

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn($('name').value.trim());
});
$('signout').addEventListener('click', signOut);

// The call shows who it will call while you type.
$('remote').addEventListener('input', () => {
  if (call.state === 'idle') call.remoteUid = $('remote').value.trim();
});

$('call-form').addEventListener('submit', (e) => {
  e.preventDefault();
  call.remoteUid = $('remote').value.trim();
  call.relay = $('relay').checked;
  call.data = $('data').value || undefined;
  void call.start();
});

const busy = new Set(['calling', 'ringing', 'incoming', 'connecting', 'connected', 'reconnecting']);
function refresh() {
  // Signaling status, and the call's state when there is a call.
  $('status').textContent = call.state === 'idle' ? client.status : `${client.status} · call ${call.state}`;
  $('status').dataset.status = client.status;
  $('call-button').disabled = client.status !== 'connected' || busy.has(call.state);
}

// The elements' events bubble up to <wd-video-client>: one listener logs them all.
const logged = ['wd-connected', 'wd-disconnected', 'wd-token-error', 'wd-error', 'wd-incoming', 'wd-ring', 'wd-accept', 'wd-decline', 'wd-response', 'wd-stream-received', 'wd-state-change', 'wd-closed'];
for (const type of logged) {
  client.addEventListener(type, (e) => {
    log(type, e.detail);
    refresh();
  });
}
client.addEventListener('wd-status-change', refresh);
client.addEventListener('wd-stats', (e) => {
  if (e.detail.direction !== 'remote') return;
  const s = e.detail.stats;
  $('stats').textContent = `Receiving ${s.width}×${s.height} @ ${Math.round(s.fps)} fps, ${Math.round(s.bitrate / 1000)} kbit/s, round trip ${s.delay} ms, ${s.path === 'relay' ? 'relayed (TURN)' : s.path === 'p2p' ? 'peer to peer' : 'path unknown'}`;
});
client.addEventListener('wd-closed', () => ($('stats').textContent = ''));

function log(type, detail = {}) {
  const parts = [];
  for (const [k, v] of Object.entries(detail)) {
    if (k === 'conversation') parts.push(`from ${v.remoteUid}${v.data !== undefined ? `, data ${JSON.stringify(v.data)}` : ''}`);
    else if (k === 'error') parts.push(`${v.code ?? v.name}: ${v.message}`);
    else if (typeof v === 'string') parts.push(`${k} ${v}`);
  }
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  li.append(time, ` ${type} ${parts.join(', ')}`);
  $('log').prepend(li);
  while ($('log').children.length > 50) $('log').lastChild.remove();
}

$('lang').addEventListener('change', (e) => {
  document.documentElement.lang = e.target.value;
  localStorage.setItem('wd-demo-lang', e.target.value);
});
const lang = localStorage.getItem('wd-demo-lang') ?? (navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
$('lang').value = lang;
document.documentElement.lang = lang;

const saved = sessionStorage.getItem(KEY);
if (saved) signIn(saved);
else $('name').focus();
refresh();
