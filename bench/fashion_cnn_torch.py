#!/usr/bin/python3
"""The FashionMnistCnn sample in PyTorch, for its accuracy and epoch time beside the C# sample's.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/fashion_cnn_torch.py [--epochs 15] [--threads 1]

The same network, split (90 % train, stratified, seed-independent of the C# split), per-pixel standardization fitted on
the training part, batch 64 shuffled, Adam(lr 3e-3) with CosineAnnealingLR over the epochs, cross-entropy; validation in eval mode after each epoch; test
accuracy at the end. OpenBLAS's preset core type is removed from the environment (as PyTorch's users have it); the
script prints the core OpenBLAS chose. Nothing in CI runs it.
"""

import argparse
import ctypes
import gzip
import os
import time

import numpy as np
import torch
from torch import nn

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(name, header):
    with gzip.open(os.path.join(FASHION_DIR, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def openblas_core():
    for library in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            lib = ctypes.CDLL(library)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except OSError:
            continue
    return "unknown"


def network():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.BatchNorm1d(120), nn.ReLU(), nn.Dropout(0.25), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {args.threads} thread(s), OpenBLAS core {openblas_core()}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}")

    images = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    labels = read_idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    test_x = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    test_y = read_idx("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    rng = np.random.default_rng(42)
    validation = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:600] for c in range(10)])
    train = np.setdiff1d(np.arange(len(labels)), validation)
    mean, std = images[train].mean(0), images[train].std(0)
    std[std == 0] = 1

    def tensor(x):
        return torch.from_numpy((x - mean) / std).view(-1, 1, 28, 28)

    train_x, train_y = tensor(images[train]), torch.from_numpy(labels[train])
    val_x, val_y = tensor(images[validation]), torch.from_numpy(labels[validation])
    test_t, test_l = tensor(test_x), torch.from_numpy(test_y)

    torch.manual_seed(args.seed)
    net = network()
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    criterion = nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(1)

    def accuracy(x, y):
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum()) for i in range(0, len(y), 1000))
        net.train()
        return correct / len(y)

    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(train_y), generator=shuffle)
        for i in range(0, len(order), 64):
            index = order[i:i + 64]
            optimizer.zero_grad()
            loss = criterion(net(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
        trained = time.perf_counter() - start
        schedule.step()
        print(f"epoch {epoch}: {trained:.2f} s training {len(train_y)} images, validation accuracy {accuracy(val_x, val_y):.4f}", flush=True)
    print(f"test accuracy {accuracy(test_t, test_l):.4f}")


if __name__ == "__main__":
    main()
