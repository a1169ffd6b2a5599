#!/usr/bin/env python3
"""Where a V8 CPU profile's time went, by function (BENCHMARKS.md, "The WebAssembly profile"):
self time per function, optionally only for samples whose stack holds a function named like
UNDER (the scan, say, without the benchmark's own data generation). Take the profile with the
core benchmark in node, whose WebAssembly keeps its function names:

  cargo test --profile page-worker --target wasm32-unknown-unknown --test core_speed --no-run
  NODE_ARGS=--cpu-prof wasm-bindgen-test-runner target/wasm32-unknown-unknown/page-worker/deps/core_speed-*.wasm \\
      --include-ignored --nocapture           # writes CPU.*.cpuprofile in the current folder
  tools/cpuprofile.py CPU.*.cpuprofile --under FileScanner --top 25
"""
import argparse, collections, json, re


def main():
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument('profile')
    args.add_argument('--under', help='only samples with a function of this name (a substring) on the stack')
    args.add_argument('--top', type=int, default=30)
    a = args.parse_args()
    profile = json.load(open(a.profile))
    nodes = {n['id']: n for n in profile['nodes']}
    parent = {child: n['id'] for n in profile['nodes'] for child in n.get('children', [])}

    def name(node_id):
        frame = nodes[node_id]['callFrame']
        # Rust's symbol hash (`::h0123...`) says nothing to a reader.
        return re.sub(r'::h[0-9a-f]{16}$', '', frame['functionName']) or f"({frame['url'][-40:]})"

    def on_stack(node_id, text):
        while node_id is not None:
            if text in nodes[node_id]['callFrame']['functionName']:
                return True
            node_id = parent.get(node_id)
        return False

    ms = collections.Counter()
    for sample, delta_us in zip(profile['samples'], profile['timeDeltas']):
        if a.under is None or on_stack(sample, a.under):
            ms[name(sample)] += delta_us / 1000
    total = sum(ms.values())
    for function, t in ms.most_common(a.top):
        print(f'{t:9.1f} ms {100 * t / total:5.1f}%  {function[:140]}')
    print(f'{total:9.1f} ms in all' + (f' under {a.under}' if a.under else ''))


if __name__ == '__main__':
    main()
