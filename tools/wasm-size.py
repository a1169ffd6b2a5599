#!/usr/bin/env python3
"""Where a WebAssembly module's bytes are (BENCHMARKS.md, "Size, issue 25"): reads the name
section (demangled by c++filt) and sums the code section per function, by the categories below
(each function in the first one its name matches), and by path. Give it a module that still has
its names: wasm-bindgen --keep-debug, then wasm-opt with -g at the shipped level, e.g.

  cargo build --profile page-worker --target wasm32-unknown-unknown --bin worker
  wasm-bindgen --target no-modules --keep-debug --out-dir /tmp/w target/wasm32-unknown-unknown/page-worker/worker.wasm
  wasm-opt -Oz -g --enable-simd ... /tmp/w/worker_bg.wasm -o /tmp/w/named.wasm
  tools/wasm-size.py /tmp/w/named.wasm            # categories
  tools/wasm-size.py --top 40 /tmp/w/named.wasm   # the 40 largest functions
  tools/wasm-size.py --paths 2 /tmp/w/named.wasm  # by the first two parts of each path
"""
import collections, re, subprocess, sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i

def parse(path):
    b = open(path,'rb').read()
    i = 8; secs = []; nimports = 0; bodies = []; names = {}; data = []
    while i < len(b):
        sid = b[i]; i += 1
        size, i = leb(b, i); start = i; end = i + size
        name = None
        if sid == 0:
            nl, j = leb(b, i); name = b[j:j+nl].decode(); j += nl
            if name == 'name':
                while j < end:
                    sub = b[j]; j += 1; ssz, j = leb(b, j); se = j + ssz
                    if sub == 1:
                        cnt, k = leb(b, j)
                        for _ in range(cnt):
                            idx, k = leb(b, k); l, k = leb(b, k); names[idx] = b[k:k+l].decode('utf8','replace'); k += l
                    j = se
        elif sid == 2:
            cnt, j = leb(b, i)
            for _ in range(cnt):
                l, j = leb(b, j); j += l; l, j = leb(b, j); j += l
                kind = b[j]; j += 1
                if kind == 0: _, j = leb(b, j); nimports += 1
                elif kind == 1: j += 1; fl = b[j]; j += 1; _, j = leb(b, j); 
                elif kind == 2: fl = b[j]; j += 1; _, j = leb(b, j); (j := leb(b, j)[1]) if fl & 1 else None
                elif kind == 3: j += 2
                if kind == 1 and fl & 1: _, j = leb(b, j)
        elif sid == 10:
            cnt, j = leb(b, i)
            for f in range(cnt):
                l, j = leb(b, j); bodies.append((nimports + f, l)); j += l
        elif sid == 11:
            cnt, j = leb(b, i)
            for _ in range(cnt):
                fl, j = leb(b, j)
                if fl == 0:
                    while b[j] != 0x0b: j += 1
                    j += 1
                elif fl == 2:
                    _, j = leb(b, j)
                    while b[j] != 0x0b: j += 1
                    j += 1
                l, j = leb(b, j); data.append(b[j:j+l]); j += l
        secs.append((sid, name, size))
        i = end
    keys = list(names)
    out = subprocess.run(['c++filt'], input='\n'.join(names[k].replace('\n',' ') for k in keys), capture_output=True, text=True).stdout.split('\n')
    clean = lambda s: re.sub(r'\[[0-9a-f]{16}\]', '', re.sub(r'::h[0-9a-f]{16}$', '', s))
    return b, secs, bodies, {k: clean(out[i]) for i, k in enumerate(keys)}, data

def crate_of(n):
    # the innermost "real" path: for `<T as Trait>::f` use T's path; generic instances attribute to the function's own path.
    s = n
    if s.startswith('<'):
        # <A as B>::f  -> A
        depth = 0
        for k, c in enumerate(s):
            if c == '<': depth += 1
            elif c == '>': depth -= 1
            if depth == 1 and s[k:k+4] == ' as ':
                s = s[1:k]; break
            if depth == 0: s = s[1:k]; break
    s = s.lstrip('&*').replace('mut ', '').replace('const ', '').lstrip('[').lstrip('&')
    return s

def group(n, depth):
    s = crate_of(n)
    parts = re.split(r'::', s)
    return '::'.join(parts[:depth])


def strip_generics(n):
    out, depth = [], 0
    for c in n:
        if c == '<': depth += 1
        elif c == '>': depth -= 1
        elif depth == 0: out.append(c)
    return ''.join(out)

RULES = [
    ('serde, serde_json, postcard, serde-wasm-bindgen', r'serde|postcard'),
    ('formatting (core::fmt, Display/Debug impls, format!)', r'core::fmt|as core::fmt::|alloc::fmt|::fmt$|float_to_decimal|flt2dec'),
    ('aho-corasick', r'^<?&?(mut )?aho_corasick|aho_corasick::'),
    ('memchr', r'memchr'),
    ('sorts (core::slice::sort, nbtriage::order)', r'slice::sort|nbtriage::order'),
    ('web layer (nbtriage::web, wasm-bindgen, js-sys, web-sys, gloo)', r'nbtriage::web|wasm_bindgen|js_sys|web_sys|gloo|__wbg|__wbindgen|^app::|^worker::'),
    ('report renderers: html', r'nbtriage::report::html'),
    ('report renderers: markdown', r'nbtriage::report::markdown'),
    ('report renderers: text', r'nbtriage::report::text'),
    ('report: build, evidence, json, verdict', r'nbtriage::report'),
    ('rules', r'nbtriage::rules'),
    ('catalogue (matcher, templates)', r'nbtriage::catalogue'),
    ('facts (scanner, extraction)', r'nbtriage::facts'),
    ('correlation', r'nbtriage::correlate'),
    ('redaction', r'nbtriage::redact'),
    ('archives (incl. inflate)', r'nbtriage::archive|miniz_oxide|flate2'),
    ('line parsing', r'nbtriage::parse'),
    ('viewer', r'nbtriage::viewer'),
    ('input', r'nbtriage::input'),
    ('rest of nbtriage', r'nbtriage'),
    ('allocator, collections (dlmalloc, alloc, hashbrown)', r'dlmalloc|^<?alloc::|hashbrown|<alloc::'),
    ('rest of std/core', r'core::|std::|^<'),
]

def categorize(path):
    b, secs, bodies, names, data = parse(path)
    cat = collections.Counter(); cnt = collections.Counter()
    for idx, l in bodies:
        n = names.get(idx, '?')
        key = 'unnamed/other'
        for label, rx in RULES:
            if re.search(rx, n): key = label; break
        cat[key] += l; cnt[key] += 1
    # monomorphization: one generic function compiled more than once
    groups = collections.defaultdict(list)
    for idx, l in bodies:
        n = names.get(idx, '?')
        if '<' in n: groups[strip_generics(n)].append(l)
    multi = {k: v for k, v in groups.items() if len(v) > 1}
    copies = sum(sum(v) for v in multi.values()); extra = sum(sum(v) - max(v) for v in multi.values())
    code = sum(l for _, l in bodies)
    d = b''.join(data)
    paths = sum(len(m) for m in re.findall(rb'(?:/rustc/|/root/\.cargo/|src/)[\x21-\x7e]*?\.rs', d))
    return code, len(d), cat, cnt, copies, extra, len(multi), paths, secs, len(b)


def top(path, n=40):
    b, secs, bodies, names, data = parse(path)
    for idx, l in sorted(bodies, key=lambda x: -x[1])[:n]:
        print(f'{l:>9,}  {names.get(idx, "?")[:170]}')


def main(args):
    if args[:1] == ['--top']:
        top(args[2], int(args[1]))
        return
    if args[:1] == ['--paths']:
        b, secs, bodies, names, data = parse(args[2])
        g = collections.Counter()
        for idx, l in bodies:
            g[group(names.get(idx, '?'), int(args[1]))] += l
        for k, v in g.most_common(60):
            print(f'{v:>9,}  {k}')
        return
    for path in args:
        code, data, cat, cnt, copies, extra, groups, paths, secs, total = categorize(path)
        print(f'## {path}: {total:,} bytes; code {code:,}; data {data:,} (source paths for panics: {paths:,})')
        for k, v in cat.most_common():
            print(f'  {v:>9,} {v*100/code:5.1f}% {cnt[k]:>5}  {k}')
        print(f'  generic functions compiled more than once: {groups} functions, {copies:,} bytes in all, {extra:,} beyond one copy each')


if __name__ == '__main__':
    main(sys.argv[1:])
