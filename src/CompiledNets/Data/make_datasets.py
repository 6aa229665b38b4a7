"""Writes the embedded diabetes and breast-cancer CSV files from scikit-learn's copies (BSD-3-Clause), with a header.

Run with Debian's scikit-learn 1.2: /usr/bin/python3 src/CompiledNets/Data/make_datasets.py
The bytes are deterministic (gzip without a timestamp), so a re-run reproduces the committed files.
"""

import gzip
import io
import os

from sklearn.datasets import load_breast_cancer

SKLEARN = "/usr/lib/python3/dist-packages/sklearn/datasets/data/"
HERE = os.path.dirname(os.path.abspath(__file__))

DIABETES_COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"]


def write_gzip(name, text):
    path = os.path.join(HERE, name)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    print(f"wrote {path} ({len(buffer.getvalue())} bytes)")


def diabetes():
    with gzip.open(SKLEARN + "diabetes_data_raw.csv.gz", "rt") as f:
        rows = [line.split() for line in f if line.strip()]
    with gzip.open(SKLEARN + "diabetes_target.csv.gz", "rt") as f:
        targets = [line.strip() for line in f if line.strip()]
    assert len(rows) == len(targets) == 442
    lines = [",".join(DIABETES_COLUMNS)]
    for row, target in zip(rows, targets):
        assert len(row) == 10
        # The target file writes integers as 1.510000000000000000e+02: write them plainly.
        lines.append(",".join(row + [repr(float(target)).removesuffix(".0")]))
    write_gzip("diabetes.csv.gz", "\n".join(lines) + "\n")


def breast_cancer():
    names = list(load_breast_cancer().feature_names)
    with open(SKLEARN + "breast_cancer.csv") as f:
        header = f.readline().strip().split(",")
        assert header[:2] == ["569", "30"] and header[2:] == ["malignant", "benign"]
        rows = [line.strip() for line in f if line.strip()]
    assert len(rows) == 569
    # The target: 0 malignant, 1 benign, as load_breast_cancer() gives it; the column is named after its classes.
    lines = [",".join(names + ["target"])]
    lines += rows
    write_gzip("breast_cancer.csv.gz", "\n".join(lines) + "\n")


if __name__ == "__main__":
    diabetes()
    breast_cancer()
