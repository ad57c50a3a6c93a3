'use strict';
// XML for the OSS peer: escaping, a tiny builder for response documents, and a minimal
// parser for the two request bodies OSS takes (DeleteObjects, CompleteMultipartUpload).
// Pure functions, no state.

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

function escape(s) {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function unescape(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (m, e) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

// el('A', [el('B', 'x'), null, el('C', 1)]) -> '<A><B>x</B><C>1</C></A>'. Strings are escaped;
// arrays are children (null/undefined skipped).
function el(name, content) {
  if (content === undefined || content === null) return `<${name}></${name}>`;
  if (Array.isArray(content)) return `<${name}>${content.filter(c => c !== null && c !== undefined).join('')}</${name}>`;
  return `<${name}>${escape(content)}</${name}>`;
}

function doc(root, children) {
  return HEADER + el(root, children);
}

// Parses a small XML document into {name, children:[...], text}. Rejects anything that is not
// well-formed enough to be trusted (throws Error('malformed')).
function parse(text) {
  let i = 0;
  const n = text.length;
  const fail = () => {
    throw new Error('malformed');
  };
  const skipWs = () => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  const skipMisc = () => {
    for (;;) {
      skipWs();
      if (text.startsWith('<?', i)) {
        const e = text.indexOf('?>', i);
        if (e < 0) fail();
        i = e + 2;
      } else if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e < 0) fail();
        i = e + 3;
      } else {
        return;
      }
    }
  };
  const parseElement = () => {
    if (text[i] !== '<') fail();
    i++;
    const m = /^[A-Za-z_][\w.\-:]*/.exec(text.slice(i, i + 200));
    if (!m) fail();
    const name = m[0];
    i += name.length;
    const close = text.indexOf('>', i);
    if (close < 0) fail();
    const attrs = text.slice(i, close);
    i = close + 1;
    const node = { name, children: [], text: '' };
    if (attrs.endsWith('/')) return node;
    let buf = '';
    for (;;) {
      if (i >= n) fail();
      if (text.startsWith('</', i)) {
        const e = text.indexOf('>', i);
        if (e < 0) fail();
        if (text.slice(i + 2, e).trim() !== name) fail();
        i = e + 1;
        node.text = unescape(buf);
        return node;
      }
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e < 0) fail();
        i = e + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const e = text.indexOf(']]>', i);
        if (e < 0) fail();
        buf += text.slice(i + 9, e).replace(/&/g, '&amp;').replace(/</g, '&lt;');
        i = e + 3;
      } else if (text[i] === '<') {
        node.children.push(parseElement());
      } else {
        const e = text.indexOf('<', i);
        if (e < 0) fail();
        buf += text.slice(i, e);
        i = e;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i !== n) fail();
  return root;
}

function child(node, name) {
  return node.children.find(c => c.name === name);
}

function children(node, name) {
  return node.children.filter(c => c.name === name);
}

module.exports = { HEADER, escape, el, doc, parse, child, children };
