// check.mjs FILE... — parses PowerShell scripts with tree-sitter-powershell and
// fails on any syntax error (an ERROR node or a missing node), then on any
// construct that PowerShell 2.0 does not have (the agent must run on Windows
// Server 2003/2008 site servers). Prints file:line:column: message for each
// problem and exits 1 if there was any.
//
// Loaded as an ES module: require() of tree-sitter fails on Node 20
// (ERR_REQUIRE_ASYNC_MODULE).
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';
import { readFileSync } from 'node:fs';

// Tokens and names introduced after PowerShell 2.0.
const PS3_OPERATORS = new Set(['-in', '-notin', '-shl', '-shr']);
const PS3_STATEMENTS = new Map([
  ['class_statement', 'a class definition needs PowerShell 5.0'],
  ['enum_statement', 'an enum definition needs PowerShell 5.0'],
  ['using_statement', 'a using statement needs PowerShell 5.0'],
]);
const PS3_TYPES = new Set(['ordered', 'pscustomobject']);
const PS3_VARIABLES = [/^\$psitem$/i, /^\$using:/i, /^\$psscriptroot$/i, /^\$pscommandpath$/i];
const PS3_COMMANDS = new Set([
  'convertto-json', 'convertfrom-json', 'invoke-restmethod', 'invoke-webrequest',
  'get-ciminstance', 'new-cimsession', 'get-cimclass', 'invoke-cimmethod', 'set-ciminstance',
  'get-filehash', 'new-temporaryfile', 'write-information', 'convertfrom-string',
  'get-childitem -file', 'clear-recyclebin', 'expand-archive', 'compress-archive',
]);

function lint(file) {
  const src = readFileSync(file, 'utf8');
  const parser = new Parser();
  parser.setLanguage(PowerShell);
  // Large inputs need an explicit buffer size in node tree-sitter.
  const tree = parser.parse(src, null, { bufferSize: src.length * 2 + 65536 });
  const problems = [];
  const at = (n, msg) => problems.push(`${file}:${n.startPosition.row + 1}:${n.startPosition.column + 1}: ${msg}`);
  const leaves = [];
  (function walk(n, quoted) {
    if (n.type === 'ERROR') at(n, `syntax error near '${n.text.slice(0, 40).replace(/\s+/g, ' ')}'`);
    else if (n.isMissing) at(n, `syntax error: missing '${n.type}'`);
    if (PS3_STATEMENTS.has(n.type)) at(n, PS3_STATEMENTS.get(n.type));
    const q = quoted || /string|comment/.test(n.type);
    if (n.childCount === 0) leaves.push({ n, quoted: q });
    for (const c of n.children) walk(c, q);
  })(tree.rootNode, false);
  if (tree.rootNode.hasError && problems.length === 0) at(tree.rootNode, 'syntax error (unlocated)');
  // Whitespace between command arguments is a token of its own here; skip it.
  const tokens = leaves.filter((l) => l.n.type !== 'command_argument_sep' && l.n.text.trim() !== '');
  for (let i = 0; i < tokens.length; i++) {
    const { n, quoted } = tokens[i];
    if (quoted) continue;
    const text = n.text;
    const low = text.toLowerCase();
    const next = tokens[i + 1] ? tokens[i + 1].n.text : '';
    const next2 = tokens[i + 2] ? tokens[i + 2].n.text : '';
    if (n.type !== 'command_parameter' && PS3_OPERATORS.has(low)) at(n, `operator ${text} needs PowerShell 3.0 or later`);
    if (n.type === 'type_identifier' && PS3_TYPES.has(low)) at(n, `type [${text}] needs PowerShell 3.0 or later`);
    if (n.type.includes('variable') && PS3_VARIABLES.some((re) => re.test(text))) at(n, `variable ${text} needs PowerShell 3.0 or later`);
    if (n.type === 'command_name' && PS3_COMMANDS.has(low)) at(n, `command ${text} needs PowerShell 3.0 or later`);
    if (text === '::' && next.toLowerCase() === 'new') at(n, '::new() needs PowerShell 5.0; use New-Object');
    if (text === '.' && /^(foreach|where)$/i.test(next) && next2 === '(') at(n, `the .${next}() method needs PowerShell 4.0`);
    if (n.type === 'command_parameter' && /^-erroraction:?$/i.test(text) && /^ignore$/i.test(next)) at(n, '-ErrorAction Ignore needs PowerShell 3.0; use SilentlyContinue');
  }
  return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs FILE.ps1...');
  process.exit(64);
}
let bad = 0;
for (const f of files) {
  const problems = lint(f);
  for (const p of problems) console.log(p);
  if (problems.length) bad++;
  else console.log(`${f}: parses clean (PowerShell 2.0 subset)`);
}
process.exit(bad ? 1 : 0);
