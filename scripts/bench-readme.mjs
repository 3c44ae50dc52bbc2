// Writes the README's call set-up table from a committed bench result file, so
// the figures there are never typed by hand:
//   node scripts/bench-readme.mjs bench/results/<date>.json [more.json ...]
// With several files (runs), each cell shows the range over the runs.
// Replaces what stands between <!-- bench:setup:start --> and <!-- bench:setup:end -->.
import { readFileSync } from 'node:fs';
import { replaceReadmeSection } from './readme-section.mjs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node scripts/bench-readme.mjs bench/results/<date>.json [...]');
  process.exit(2);
}
const runs = files.map((f) => ({ file: f, r: JSON.parse(readFileSync(f, 'utf8')) }));
for (const { file, r } of runs) if (!r.setup?.summary || r.quick) throw new Error(`${file}: not a full run with a set-up part`);

/** "a" or "a–b" over the runs, formatted by `fmt`. */
const range = (get, fmt) => {
  const v = runs.map(({ r }) => get(r)).filter(Number.isFinite);
  if (!v.length) return '—';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return fmt(lo) === fmt(hi) ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
};
const ms = (x) => `${Math.round(x)}`;
const x2 = (x) => x.toFixed(2);
const S = (r, n, k, q = 'median') => r.setup.summary[n]?.[k]?.[q];
const ratio = (n, m, k, q = 'median') => range((r) => S(r, n, k, q) / S(r, m, k, q), x2);

const rows = [
  ['call() → caller ICE connected, median', range((r) => S(r, 'A', 'iceConnected'), ms) + ' ms', ratio('A', 'B', 'iceConnected') + ' × floor', ratio('A', 'C', 'iceConnected') + ' × PeerJS', ''],
  ['call() → caller connected (ICE + DTLS), median', range((r) => S(r, 'A', 'connected'), ms) + ' ms', ratio('A', 'B', 'connected') + ' × floor', ratio('A', 'C', 'connected') + ' × PeerJS', '≤ 1.25 × floor, ≤ 0.8 × PeerJS'],
  ['same, p90', range((r) => S(r, 'A', 'connected', 'p90'), ms) + ' ms', ratio('A', 'B', 'connected', 'p90') + ' × floor', ratio('A', 'C', 'connected', 'p90') + ' × PeerJS', ''],
  ['call() → caller\'s first remote frame, median', range((r) => S(r, 'A', 'firstFrame'), ms) + ' ms', ratio('A', 'B', 'firstFrame') + ' × floor', ratio('A', 'C', 'firstFrame') + ' × PeerJS', '≤ 1.05 × floor'],
  ['relay forced (coturn) → connected, median', range((r) => S(r, 'A-relay', 'connected'), ms) + ' ms', ratio('A-relay', 'B-relay-round', 'connected') + ' × floor', '', '≤ 2 × floor'],
];
// Reference only, not a target: the floor's two connections relayed through the same coturn (runs that have it).
if (runs.every(({ r }) => r.setup.summary['B-relay-floor'])) {
  rows.push(['relay floor (the floor relayed through coturn, reference) → connected, median', range((r) => S(r, 'B-relay-floor', 'connected'), ms) + ' ms', `wd-video relay: ${ratio('A-relay', 'B-relay-floor', 'connected')} × this`, '', '']);
}
const acc = (r, n, q = 'median') => r.setup.accept?.summary?.bothFrames?.[n]?.[q];
if (runs.every(({ r }) => r.setup.accept?.summary)) {
  rows.push([
    `accept() after ${runs[0].r.setup.accept.delayMs} ms ringing → first frame on both sides, median`,
    range((r) => acc(r, 'A'), ms) + ' ms',
    '',
    range((r) => acc(r, 'A') / acc(r, 'C'), x2) + ` × PeerJS answer() (${range((r) => acc(r, 'C'), ms)} ms)`,
    '≤ 0.5 × PeerJS',
  ]);
}
const st = runs[0].r.setup.summary.A.stagesMedianMs ?? {};
const stage = (k) => (Number.isFinite(st[k]) ? Math.round(st[k]) : '—');
const where = `Where wd-video's time goes (first run, medians, ms from call()): the callee hears the invite at ${stage('called')}, the caller hears ringing at ${stage('caller_ringing')}, the answer arrives at ${stage('caller_connecting')}, the remote track at ${stage('remoteTrack')}, connected at ${stage('caller_connected')}.`;
const m = runs[0].r.machine;
const table = [
  `Call set-up, from ${runs.map(({ file }) => `\`${file}\``).join(' and ')} (${runs.length} full run${runs.length > 1 ? 's' : ''}; ${m.cores} cores, ${m.cpu}, Node ${m.node}):`,
  'the same milestones for every contender, on the caller\'s RTCPeerConnection; the floor is two RTCPeerConnections in one page, created after the clock starts; 640x480 fake camera.',
  '',
  '| measure | wd-video | against the floor | against PeerJS 1.5 | target |',
  '|---|---|---|---|---|',
  ...rows.map((c) => `| ${c.join(' | ')} |`),
  '',
  where,
].join('\n');

replaceReadmeSection('setup', table);
console.log(table);
