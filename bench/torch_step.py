"""PyTorch contender for bench/nn.bench.mjs: the same training step, one thread, in its own process.

The Node side starts `python3 bench/torch_step.py`, writes one JSON line describing the networks,
then asks for one timed sample at a time, so PyTorch's samples interleave with the Node contenders'
rounds. Protocol (one JSON object per line, both ways):

  in:  {"networks": {"<name>": {"sizes": [784, 128, 10], "hidden": "sigmoid", "m": 64, "lr": 0.01}},
        "dtypes": ["float64", "float32"], "seed": 1}
  out: {"torch": "<version>", "threads": 1, "blas": "<library file>"}
  in:  {"net": "<name>", "dtype": "float64", "steps": 16}
  out: {"ms": <wall ms for the steps>, "cpu_ms": <CPU ms>}   (time.perf_counter, time.process_time)
  in:  {"quit": true}  or end of input

The step: forward through Linear layers with the hidden activation, softmax + cross-entropy
against one-hot targets (mean over the minibatch), backward, SGD update.
"""

import json
import os
import sys
import time

import torch

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def model(sizes, hidden, dtype):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid() if hidden == "sigmoid" else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def make_step(spec, dtype, gen):
    sizes, m = spec["sizes"], spec["m"]
    net = model(sizes, spec["hidden"], dtype)
    x = torch.rand(m, sizes[0], dtype=dtype, generator=gen)
    y = torch.zeros(m, sizes[-1], dtype=dtype)
    y[torch.arange(m), torch.randint(sizes[-1], (m,), generator=gen)] = 1
    opt = torch.optim.SGD(net.parameters(), lr=spec["lr"])

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(net(x), y)  # probability targets: −(1/m) Σ y log softmax(z)
        loss.backward()
        opt.step()

    return step


def blas():
    """The BLAS library the process has loaded (Debian's torch uses whichever libblas.so.3 is selected)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.split()[-1].lower()}
    except OSError:
        return "unknown"
    # the last two parts of the path tell netlib's (blas/libblas.so.3…) from OpenBLAS (openblas-pthread/…)
    names = sorted({"/".join(os.path.realpath(p).split("/")[-2:]) for p in paths})
    return " + ".join(names) if names else "none loaded"


def main():
    config = json.loads(sys.stdin.readline())
    gen = torch.Generator().manual_seed(config.get("seed", 1))
    torch.manual_seed(config.get("seed", 1))
    dtypes = {"float64": torch.float64, "float32": torch.float32}
    steps = {
        (name, d): make_step(spec, dtypes[d], gen) for name, spec in config["networks"].items() for d in config["dtypes"]
    }
    for step in steps.values():
        step()  # first call: allocations, autograd set-up
    send({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()})
    for line in sys.stdin:
        req = json.loads(line)
        if req.get("quit"):
            break
        step = steps[(req["net"], req["dtype"])]
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(req["steps"]):
            step()
        wall = time.perf_counter() - t0
        send({"ms": wall * 1e3, "cpu_ms": (time.process_time() - c0) * 1e3})


if __name__ == "__main__":
    main()
