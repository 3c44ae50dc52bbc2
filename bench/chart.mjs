// A hand-written SVG strip + box plot of the call set-up distributions.
export function chart(setup, result) {
  const rows = [];
  for (const [n, s] of Object.entries(setup.series)) for (const k of ['connected', 'firstFrame']) rows.push({ label: `${n} ${k === 'connected' ? 'connected' : 'first frame'}`, v: s[k].filter(Number.isFinite) });
  const all = rows.flatMap((r) => r.v);
  const max = Math.max(100, ...all) * 1.05;
  const W = 900, left = 230, right = 20, rowH = 34, top = 40, H = top + rows.length * rowH + 40;
  const x = (ms) => left + (ms / max) * (W - left - right);
  const q = (v, p) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : NaN; };
  const esc = (t) => String(t).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  const colors = { A: '#1f77b4', B: '#555', C: '#d62728', 'A-relay': '#9467bd', 'B-relay-round': '#888', 'B-relay-floor': '#bbb' };
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">\n`;
  out += `<rect width="100%" height="100%" fill="white"/>\n<text x="10" y="20" font-size="14">wd-video call set-up (ms from call start), ${esc(result.machine.cores)} cores ${esc(result.machine.cpu)}, ${esc(result.date.slice(0, 10))}${result.quick ? ' (quick)' : ''}; box = p25..p75, tick = median, whisker to p90</text>\n`;
  const step = max > 2000 ? 500 : max > 800 ? 200 : 100;
  for (let t = 0; t <= max; t += step) out += `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 5}" y2="${H - 30}" stroke="#eee"/><text x="${x(t)}" y="${H - 15}" text-anchor="middle" fill="#666">${t}</text>\n`;
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const c = colors[r.label.split(' ')[0]] ?? '#000';
    out += `<text x="${left - 8}" y="${y + 4}" text-anchor="end">${esc(r.label)} (n=${r.v.length})</text>\n`;
    if (!r.v.length) return;
    const [p25, p50, p75, p90] = [0.25, 0.5, 0.75, 0.9].map((p) => q(r.v, p));
    out += `<line x1="${x(p75)}" x2="${x(p90)}" y1="${y}" y2="${y}" stroke="${c}"/>`;
    out += `<rect x="${x(p25)}" y="${y - 9}" width="${Math.max(1, x(p75) - x(p25))}" height="18" fill="${c}" fill-opacity="0.15" stroke="${c}"/>`;
    out += `<line x1="${x(p50)}" x2="${x(p50)}" y1="${y - 11}" y2="${y + 11}" stroke="${c}" stroke-width="2"/>\n`;
    for (const v of r.v) out += `<circle cx="${x(v).toFixed(1)}" cy="${y}" r="2" fill="${c}" fill-opacity="0.6"/>`;
    out += '\n';
  });
  return out + '</svg>\n';
}
