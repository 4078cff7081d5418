import json,sys,statistics
d=json.load(open(sys.argv[1]))
for b in d:
    name=b['benchmark'].split('.',3)[-1].replace('io.smsfeedback.benchmarks.','')
    p=b.get('params',{})
    ps=','.join(f'{k}={v}' for k,v in p.items())
    pm=b['primaryMetric']
    pc=pm['scorePercentiles']
    raw=[x for fork in pm['rawData'] for x in fork]
    alloc=b['secondaryMetrics'].get('gc.alloc.rate.norm',{})
    araw=[x for fork in alloc.get('rawData',[[0]]) for x in fork]
    print(f"{name:45s} {ps:28s} threads={b['threads']} mode={b['mode']} median={statistics.median(raw):10.1f} min={min(raw):10.1f} max={max(raw):10.1f} mean={pm['score']:10.1f}±{pm['scoreError']:.1f} {pm['scoreUnit']}  alloc median={statistics.median(araw):8.1f} B/op n={len(raw)}")
