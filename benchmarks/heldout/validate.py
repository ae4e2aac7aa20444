import json, os, collections
HERE = os.path.dirname(os.path.abspath(__file__))
for line in open(os.path.join(HERE, 'toponyms.jsonl'), encoding='utf-8'):
    d = json.loads(line); t = d['text']
    assert t == open(os.path.join(HERE, 'texts', d['doc'] + '.txt'), encoding='utf-8').read()
    spans = sorted(d['toponyms'], key=lambda x: x['start'])
    for s in d['toponyms'] + d['ignore_spans']:
        assert t[s['start']:s['end']] == s['text'], (d['doc'], s)
    for a, b in zip(spans, spans[1:]):
        assert a['end'] <= b['start'], (d['doc'], a, b)
    for s in d['ignore_spans']:
        for a in spans: assert s['end'] <= a['start'] or a['end'] <= s['start'], (s, a)
    # boundary sanity: spans should not cut words
    for s in spans + d['ignore_spans']:
        st, en = s['start'], s['end']
        assert (st == 0 or not t[st-1].isalnum()) and (en == len(t) or not t[en].isalnum()), (d['doc'], s)
    print(f"{d['doc']:40s} chars={len(t):5d} toponyms={len(spans):3d} ignore={len(d['ignore_spans'])} ok={1500<=len(t)<=3000}")
