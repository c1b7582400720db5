"""Baseline for bench/tft.ts: one training step of the same Temporal Fusion Transformer in PyTorch.

Written from the paper (Lim et al. 2021) to mirror src/models/tft layer for layer: per-variable
input embeddings, variable selection networks (static, encoder, decoder), four static context
GRNs, LSTM encoder-decoder started from the static context, gated skip, static enrichment,
interpretable multi-head attention over all positions with decoder-causal mask, position-wise GRN,
output gate, quantile head, pinball loss, Adam with global-norm clipping.

Usage: /usr/bin/python3 bench/tft/reference_tft.py '{"batch":64,"encoder":168,...}' [--serve]
Prints one JSON line with the step timings (wall and process CPU seconds) and the parameter count.
With --serve it prints a JSON line with the metadata, then runs one step per "step" line read from
stdin and answers with a JSON line of its timings (so that a caller can interleave its own steps
with these on a noisy machine); "quit" ends it.
"""

import json
import math
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


class Glu(nn.Module):
    def __init__(self, size_in, size_out):
        super().__init__()
        self.gate = nn.Linear(size_in, size_out)
        self.value = nn.Linear(size_in, size_out)

    def forward(self, x):
        return torch.sigmoid(self.gate(x)) * self.value(x)


class GateAddNorm(nn.Module):
    def __init__(self, size_in, size_out, dropout):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.glu = Glu(size_in, size_out)
        self.norm = nn.LayerNorm(size_out, eps=1e-5)

    def forward(self, x, skip):
        return self.norm(skip + self.glu(self.dropout(x)))


class Grn(nn.Module):
    def __init__(self, size_in, hidden, size_out, dropout, context=None):
        super().__init__()
        self.input = nn.Linear(size_in, hidden)
        self.context = nn.Linear(context, hidden, bias=False) if context else None
        self.hidden = nn.Linear(hidden, hidden)
        self.skip = nn.Linear(size_in, size_out) if size_in != size_out else None
        self.gate = GateAddNorm(hidden, size_out, dropout)

    def forward(self, x, context=None):
        a = self.input(x)
        if self.context is not None and context is not None:
            c = self.context(context)
            a = a + (c.unsqueeze(1) if a.dim() == 3 else c)
        eta1 = self.hidden(F.elu(a))
        skip = self.skip(x) if self.skip is not None else x
        return self.gate(eta1, skip)


class VariableSelection(nn.Module):
    def __init__(self, count, hidden, dropout, context=None):
        super().__init__()
        self.selector = Grn(count * hidden, hidden, count, dropout, context)
        self.per_variable = nn.ModuleList(Grn(hidden, hidden, hidden, dropout) for _ in range(count))

    def forward(self, embedded, context=None):
        flat = torch.cat(embedded, dim=-1)
        weights = torch.softmax(self.selector(flat, context), dim=-1)
        processed = torch.stack([grn(x) for grn, x in zip(self.per_variable, embedded)], dim=-1)
        return (processed * weights.unsqueeze(-2)).sum(-1), weights


class Attention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.head_size = max(1, hidden // heads)
        self.query = nn.Linear(hidden, heads * self.head_size)
        self.key = nn.Linear(hidden, heads * self.head_size)
        self.value = nn.Linear(hidden, self.head_size)
        self.out = nn.Linear(self.head_size, hidden)

    def forward(self, queries, keys, mask):
        b, tq, _ = queries.shape
        tk = keys.shape[1]
        q = self.query(queries).view(b, tq, self.heads, self.head_size).transpose(1, 2)
        k = self.key(keys).view(b, tk, self.heads, self.head_size).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size) + mask
        weights = torch.softmax(scores, dim=-1).mean(1)
        return self.out(weights @ self.value(keys)), weights


class Tft(nn.Module):
    def __init__(self, widths_static, widths_encoder, widths_decoder, hidden, heads, quantiles, dropout, te, td):
        super().__init__()
        self.te, self.td = te, td

        def embeddings(widths):
            return nn.ModuleList(nn.Linear(w, hidden, bias=(w == 1)) for w in widths)

        self.embed_static = embeddings(widths_static)
        self.embed_encoder = embeddings(widths_encoder)
        # Known inputs share their embeddings between encoder and decoder (the decoder's are the
        # encoder list's last len(widths_decoder) entries).
        self.static_vsn = VariableSelection(len(widths_static), hidden, dropout)
        self.contexts = nn.ModuleList(Grn(hidden, hidden, hidden, dropout) for _ in range(4))
        self.encoder_vsn = VariableSelection(len(widths_encoder), hidden, dropout, hidden)
        self.decoder_vsn = VariableSelection(len(widths_decoder), hidden, dropout, hidden)
        self.lstm_encoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.lstm_decoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.lstm_gate = GateAddNorm(hidden, hidden, dropout)
        self.enrichment = Grn(hidden, hidden, hidden, dropout, hidden)
        self.attention = Attention(hidden, heads)
        self.attention_gate = GateAddNorm(hidden, hidden, dropout)
        self.position_wise = Grn(hidden, hidden, hidden, dropout)
        self.output_gate = GateAddNorm(hidden, hidden, dropout)
        self.output = nn.Linear(hidden, quantiles)
        mask = torch.zeros(td, te + td)
        for q in range(td):
            mask[q, te + q + 1 :] = -1e9
        self.register_buffer("mask", mask)
        self.decoder_count = len(widths_decoder)

    def forward(self, x_static, x_encoder, x_decoder):
        zeta, _ = self.static_vsn([e(x) for e, x in zip(self.embed_static, x_static)])
        c_sel, c_enr, c_cell, c_hid = (grn(zeta) for grn in self.contexts)
        enc, _ = self.encoder_vsn([e(x) for e, x in zip(self.embed_encoder, x_encoder)], c_sel)
        known = self.embed_encoder[-self.decoder_count :]
        dec, _ = self.decoder_vsn([e(x) for e, x in zip(known, x_decoder)], c_sel)
        state = (c_hid.unsqueeze(0).contiguous(), c_cell.unsqueeze(0).contiguous())
        out_enc, state = self.lstm_encoder(enc, state)
        out_dec, _ = self.lstm_decoder(dec, state)
        temporal = self.lstm_gate(torch.cat([out_enc, out_dec], 1), torch.cat([enc, dec], 1))
        enriched = self.enrichment(temporal, c_enr)
        enriched_dec = enriched[:, self.te :]
        attended, _ = self.attention(enriched_dec, enriched, self.mask)
        gated = self.attention_gate(attended, enriched_dec)
        final = self.output_gate(self.position_wise(gated), temporal[:, self.te :])
        return self.output(final)


def pinball(pred, target, levels):
    errors = target.unsqueeze(-1) - pred
    return torch.maximum(levels * errors, (levels - 1) * errors).mean()


def one_hot_or_real(rows, width, generator):
    if width == 1:
        return torch.rand(rows, 1, generator=generator) * 2 - 1
    idx = torch.randint(0, width, (rows,), generator=generator)
    return F.one_hot(idx, width).float()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    cfg = json.loads(args[0]) if args else {}
    batch = cfg.get("batch", 64)
    te = cfg.get("encoder", 168)
    td = cfg.get("horizon", 168)
    hidden = cfg.get("hidden", 16)
    heads = cfg.get("heads", 4)
    dropout = cfg.get("dropout", 0.1)
    steps = cfg.get("steps", 6)
    widths_static = cfg.get("static", [1, 1, 1])
    widths_encoder = cfg.get("encoderWidths", [1, 1, 24, 7, 12, 2, 1, 1])
    widths_decoder = cfg.get("decoderWidths", [24, 7, 12, 2, 1, 1])
    quantiles = cfg.get("quantiles", [0.1, 0.5, 0.9])
    torch.manual_seed(cfg.get("seed", 0))
    generator = torch.Generator().manual_seed(1)

    model = Tft(widths_static, widths_encoder, widths_decoder, hidden, heads, len(quantiles), dropout, te, td)
    model.train()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    levels = torch.tensor(quantiles)
    x_static = [one_hot_or_real(batch, w, generator) for w in widths_static]
    x_encoder = [one_hot_or_real(batch * te, w, generator).view(batch, te, w) for w in widths_encoder]
    x_decoder = [one_hot_or_real(batch * td, w, generator).view(batch, td, w) for w in widths_decoder]
    target = torch.randn(batch, td, generator=generator)

    def step():
        start = time.perf_counter()
        cpu_start = time.process_time()
        optimiser.zero_grad()
        loss = pinball(model(x_static, x_encoder, x_decoder), target, levels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        return time.perf_counter() - start, time.process_time() - cpu_start, float(loss)

    meta = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    if "--serve" in sys.argv:
        print(json.dumps(meta), flush=True)
        for line in sys.stdin:
            if line.strip() != "step":
                break
            wall, cpu, loss = step()
            print(json.dumps({"wall": wall, "cpu": cpu, "loss": loss}), flush=True)
        return

    timings = []
    cpu_timings = []
    for _ in range(steps):
        wall, cpu, loss = step()
        timings.append(wall)
        cpu_timings.append(cpu)
    print(
        json.dumps({**meta, "stepSeconds": timings, "stepCpuSeconds": cpu_timings, "loss": loss})
    )


if __name__ == "__main__":
    main()
