// Replaces a generated section of README.md, the text between
// <!-- bench:NAME:start --> and <!-- bench:NAME:end -->, so figures there come
// from committed result files and are never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';

export function replaceReadmeSection(name, text, file = 'README.md') {
  const readme = readFileSync(file, 'utf8');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${start} ... ${end} section`);
  writeFileSync(file, `${readme.slice(0, i + start.length)}\n${text}\n${readme.slice(j)}`);
}
