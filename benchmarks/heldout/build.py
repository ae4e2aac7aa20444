import json, re, sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gazetteer import G
from marked_texts import T
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = 'state/government as actor or polity (non-territorial use)'
TOK = re.compile(r'\[\[([^|\]]+)\|([^\]]+)\]\]|\{\{([^|}]+)(?:\|([^}]+))?\}\}')
out = []
for doc, marked in T.items():
    text, tops, igns, pos = [], [], [], 0
    n = 0
    for m in TOK.finditer(marked):
        text.append(marked[pos:m.start()]); n += m.start() - pos
        if m.group(1):
            surf, key = m.group(1), m.group(2)
            name, lat, lon, tol, kind = G[key]
            tops.append(dict(start=n, end=n+len(surf), text=surf, name=name, lat=lat, lon=lon, tolerance_km=tol, kind=kind))
        else:
            surf = m.group(3)
            igns.append(dict(start=n, end=n+len(surf), text=surf, reason=m.group(4) or DEFAULT))
        text.append(surf); n += len(surf); pos = m.end()
    text.append(marked[pos:])
    t = ''.join(text)
    assert '[[' not in t and '{{' not in t and ']]' not in t and '}}' not in t, doc
    p = os.path.join(HERE, 'texts', doc + '.txt')
    with open(p, 'w', encoding='utf-8') as f: f.write(t)
    t2 = open(p, encoding='utf-8').read(); assert t2 == t
    out.append(dict(doc=doc, text=t2, toponyms=tops, ignore_spans=igns))
with open(os.path.join(HERE, 'toponyms.jsonl'), 'w', encoding='utf-8') as f:
    for d in out: f.write(json.dumps(d, ensure_ascii=False) + '\n')
