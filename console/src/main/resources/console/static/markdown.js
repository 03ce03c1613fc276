// A small Markdown renderer for model answers. It builds DOM nodes and text nodes, never HTML strings, so nothing a
// model writes (or was tricked into writing) can become markup or script. Blocks: fenced code, headings, lists,
// quotes, rules, paragraphs; inline: code, bold, italic, links (http, https and mailto only). An unclosed fence runs
// to the end, which is what a streaming answer looks like halfway through.
(() => {
  'use strict';
  const MAX_CHARS = 200000; // rendered; the rest is shown as plain text
  const MAX_INLINE = 10000; // a longer paragraph is shown as plain text: the inline patterns are not linear
  const MAX_QUOTE_DEPTH = 8;
  const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+#.-]{0,40})\s*$/;
  const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
  const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
  const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
  const QUOTE = /^\s{0,3}>/;
  // code span | **bold** | __bold__ | *em* | _em_ | [text](url)
  const INLINE = /(`+)([^`\n](?:[^\n]*?[^`\n])?)\1(?!`)|\*\*(\S(?:[\s\S]*?\S)?)\*\*|__(\S(?:[\s\S]*?\S)?)__|\*([^*\s](?:[^*\n]*?[^*\s])?)\*|(?<![\w])_([^_\s](?:[^_\n]*?[^_\s])?)_(?![\w])|\[([^\]\n]{1,500})\]\(([^()\s]{1,2000})\)/g;

  function node(tag, cls) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    return e;
  }

  function inline(parent, text, depth) {
    if (text.length > MAX_INLINE || depth > 4) {
      parent.append(text);
      return;
    }
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      if (m.index > last) parent.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1]) {
        const code = node('code');
        code.textContent = m[2];
        parent.append(code);
      } else if (m[3] !== undefined || m[4] !== undefined) {
        const strong = node('strong');
        inline(strong, m[3] ?? m[4], depth + 1);
        parent.append(strong);
      } else if (m[5] !== undefined || m[6] !== undefined) {
        const em = node('em');
        inline(em, m[5] ?? m[6], depth + 1);
        parent.append(em);
      } else if (/^(https?:\/\/|mailto:)/i.test(m[8])) {
        const a = node('a');
        a.href = m[8];
        a.rel = 'noopener noreferrer nofollow';
        a.target = '_blank';
        inline(a, m[7], depth + 1);
        parent.append(a);
      } else {
        parent.append(m[0]); // javascript:, data: and relative links stay text
      }
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  function blocks(text, quoteDepth) {
    const out = document.createDocumentFragment();
    const lines = text.split('\n');
    let para = [];
    const endParagraph = () => {
      if (para.length) {
        const p = node('p');
        inline(p, para.join('\n'), 0);
        out.append(p);
        para = [];
      }
    };
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      const fence = line.match(FENCE);
      if (fence) {
        endParagraph();
        const body = [];
        for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) body.push(lines[i]);
        i++;
        const pre = node('pre');
        const code = node('code');
        if (fence[2]) code.dataset.lang = fence[2];
        code.textContent = body.join('\n');
        pre.append(code);
        out.append(pre);
        continue;
      }
      const heading = line.match(HEADING);
      if (heading) {
        endParagraph();
        const h = node('h' + Math.min(6, heading[1].length + 2), 'md-h');
        inline(h, heading[2], 0);
        out.append(h);
        i++;
        continue;
      }
      if (RULE.test(line)) {
        endParagraph();
        out.append(node('hr'));
        i++;
        continue;
      }
      const first = line.match(ITEM);
      if (first) {
        endParagraph();
        const ordered = /\d/.test(first[2]);
        const list = node(ordered ? 'ol' : 'ul');
        if (ordered && parseInt(first[2], 10) !== 1) list.start = parseInt(first[2], 10);
        while (i < lines.length) {
          const m = lines[i].match(ITEM);
          if (!m || /\d/.test(m[2]) !== ordered) break;
          let content = m[3];
          // Continuation lines (indented, not items themselves) belong to the item.
          for (i++; i < lines.length && /^\s{2,}\S/.test(lines[i]) && !ITEM.test(lines[i]); i++) {
            content += '\n' + lines[i].trim();
          }
          const li = node('li');
          inline(li, content, 0);
          list.append(li);
        }
        out.append(list);
        continue;
      }
      if (QUOTE.test(line)) {
        endParagraph();
        const quoted = [];
        for (; i < lines.length && QUOTE.test(lines[i]); i++) quoted.push(lines[i].replace(/^\s{0,3}>\s?/, ''));
        const q = node('blockquote');
        if (quoteDepth < MAX_QUOTE_DEPTH) q.append(blocks(quoted.join('\n'), quoteDepth + 1));
        else q.append(quoted.join('\n'));
        out.append(q);
        continue;
      }
      if (!line.trim()) {
        endParagraph();
      } else {
        para.push(line);
      }
      i++;
    }
    endParagraph();
    return out;
  }

  /** The answer as DOM nodes (a fragment to append). */
  function render(text) {
    const out = blocks(text.slice(0, MAX_CHARS), 0);
    if (text.length > MAX_CHARS) out.append(text.slice(MAX_CHARS));
    return out;
  }

  window.RustbucketMarkdown = { render };
})();
