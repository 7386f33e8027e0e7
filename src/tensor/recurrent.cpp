#include <memory>
#include <string>

#include "error.h"
#include "tensor/fast_math.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

// Which time position each row is at on step k of the recurrence: row b runs its own lengths[b]
// real steps, forwards (t = k) or backwards (t = length - 1 - k), and is finished (-1) after them.
struct Schedule {
  int64_t time;
  std::span<const int32_t> lengths;
  bool reverse;

  int64_t length(int64_t b) const { return lengths.empty() ? time : lengths[b]; }
  int64_t position(int64_t b, int64_t k) const {
    const int64_t n = length(b);
    if (k >= n) return -1;
    return reverse ? n - 1 - k : k;
  }
};

// What the backward needs, step-major (step k, row b): the gate activations (GRU r|z|n, LSTM
// i|f|g|o), the state each step started from, and for the GRU the recurrent part of the candidate
// (W_hn h + b_hn, which r multiplies). The LSTM's new cell states are its `cell` output.
struct Saved {
  Tensor gates, previous_hidden, previous_cell, candidate_recurrent;
};

// One GRU step for one row (PyTorch's equations):
//   r = σ(x_r + W_hr h + b_hr), z = σ(x_z + W_hz h + b_hz), n = tanh(x_n + r ⊙ (W_hn h + b_hn)),
//   h' = (1 - z) ⊙ n + z ⊙ h.
DIKKAT_VECTOR_CLONES void gru_row(const float* xg, const float* gh, float* h, float* gates,
                                  float* candidate_recurrent, int64_t hidden) {
#pragma omp simd
  for (int64_t j = 0; j < hidden; ++j) {
    const float r = fast_sigmoid(xg[j] + gh[j]);
    const float z = fast_sigmoid(xg[hidden + j] + gh[hidden + j]);
    const float hn = gh[2 * hidden + j];
    const float n = fast_tanh(xg[2 * hidden + j] + r * hn);
    gates[j] = r;
    gates[hidden + j] = z;
    gates[2 * hidden + j] = n;
    candidate_recurrent[j] = hn;
    h[j] = (1.0f - z) * n + z * h[j];
  }
}

// One LSTM step for one row: i, f, o = σ(.), g = tanh(.) of x + W_hh h + b_hh;
//   c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
DIKKAT_VECTOR_CLONES void lstm_row(const float* xg, const float* gh, float* h, float* c,
                                   float* gates, int64_t hidden) {
#pragma omp simd
  for (int64_t j = 0; j < hidden; ++j) {
    const float i = fast_sigmoid(xg[j] + gh[j]);
    const float f = fast_sigmoid(xg[hidden + j] + gh[hidden + j]);
    const float g = fast_tanh(xg[2 * hidden + j] + gh[2 * hidden + j]);
    const float o = fast_sigmoid(xg[3 * hidden + j] + gh[3 * hidden + j]);
    gates[j] = i;
    gates[hidden + j] = f;
    gates[2 * hidden + j] = g;
    gates[3 * hidden + j] = o;
    c[j] = f * c[j] + i * g;
    h[j] = o * fast_tanh(c[j]);
  }
}

// The GRU step's backward for one row. dh holds dL/dh' on entry and dL/dh (the direct path
// z ⊙ dh') on exit; the recurrent GEMM adds the rest. d_recurrent is dL/d(W_hh h + b_hh), dx the
// gradient of the step's input gates (they differ in n: r multiplies the recurrent part).
DIKKAT_VECTOR_CLONES void gru_row_backward(const float* gates, const float* candidate_recurrent,
                                           const float* h_prev, float* dh, float* d_recurrent,
                                           float* dx, int64_t hidden) {
#pragma omp simd
  for (int64_t j = 0; j < hidden; ++j) {
    const float r = gates[j], z = gates[hidden + j], n = gates[2 * hidden + j];
    const float d = dh[j];
    const float dn = d * (1.0f - z) * (1.0f - n * n);
    const float dz = d * (h_prev[j] - n) * z * (1.0f - z);
    const float dr = dn * candidate_recurrent[j] * r * (1.0f - r);
    d_recurrent[j] = dr;
    d_recurrent[hidden + j] = dz;
    d_recurrent[2 * hidden + j] = dn * r;
    dx[j] += dr;
    dx[hidden + j] += dz;
    dx[2 * hidden + j] += dn;
    dh[j] = d * z;
  }
}

// The LSTM step's backward for one row: dh (dL/dh') is consumed (h reaches h' only through the
// gates, whose gradient d_gates is), dc holds dL/dc' on entry and dL/dc on exit.
DIKKAT_VECTOR_CLONES void lstm_row_backward(const float* gates, const float* c_prev, const float* c,
                                            float* dh, float* dc, float* d_gates, float* dx,
                                            int64_t hidden) {
#pragma omp simd
  for (int64_t j = 0; j < hidden; ++j) {
    const float i = gates[j], f = gates[hidden + j], g = gates[2 * hidden + j],
                o = gates[3 * hidden + j];
    const float tc = fast_tanh(c[j]);
    const float dct = dc[j] + dh[j] * o * (1.0f - tc * tc);
    const float di = dct * g * i * (1.0f - i);
    const float df = dct * c_prev[j] * f * (1.0f - f);
    const float dg = dct * i * (1.0f - g * g);
    const float d_o = dh[j] * tc * o * (1.0f - o);
    d_gates[j] = di;
    d_gates[hidden + j] = df;
    d_gates[2 * hidden + j] = dg;
    d_gates[3 * hidden + j] = d_o;
    dx[j] += di;
    dx[hidden + j] += df;
    dx[2 * hidden + j] += dg;
    dx[3 * hidden + j] += d_o;
    dc[j] = dct * f;
    dh[j] = 0.0f;
  }
}

void check_shapes(RecurrentCell cell, const Var& x_gates, const Var& w_hh, const Var& b_hh,
                  const Var& h0, const Var& c0, std::span<const int32_t> lengths) {
  const int64_t gate_width = w_hh->value.size(0), hidden = w_hh->value.size(1);
  const int64_t rows = x_gates->value.size(0), time = x_gates->value.size(1);
  if (x_gates->value.shape.size() != 3 || gate_width != recurrent_gate_count(cell) * hidden ||
      x_gates->value.size(2) != gate_width || (b_hh && b_hh->value.numel() != gate_width))
    throw Error("recurrent_layer: gates " + shape_to_string(x_gates->value.shape) +
                " do not fit W_hh " + shape_to_string(w_hh->value.shape));
  for (const Var* state : {&h0, &c0})
    if (*state && (*state)->value.numel() != rows * hidden)
      throw Error("recurrent_layer: an initial state of shape " +
                  shape_to_string((*state)->value.shape) + " for " + std::to_string(rows) +
                  " rows of " + std::to_string(hidden));
  if (c0 && cell != RecurrentCell::kLstm) throw Error("recurrent_layer: a GRU has no cell state");
  if (!lengths.empty() && int64_t(lengths.size()) != rows)
    throw Error("recurrent_layer: lengths for " + std::to_string(lengths.size()) + " rows, not " +
                std::to_string(rows));
  for (const int32_t n : lengths)
    if (n < 1 || n > time)
      throw Error("recurrent_layer: a length of " + std::to_string(n) + " outside [1, " +
                  std::to_string(time) + "]");
}

}  // namespace

int64_t recurrent_gate_count(RecurrentCell cell) { return cell == RecurrentCell::kGru ? 3 : 4; }

RecurrentSequence recurrent_layer(Graph& g, RecurrentCell cell, const Var& x_gates, const Var& w_hh,
                                  const Var& b_hh, const Var& h0, const Var& c0,
                                  std::span<const int32_t> lengths, bool reverse) {
  OpTimer timer(OpClass::kRecurrent);
  check_shapes(cell, x_gates, w_hh, b_hh, h0, c0, lengths);
  const bool lstm = cell == RecurrentCell::kLstm;
  const int64_t rows = x_gates->value.size(0), time = x_gates->value.size(1);
  const int64_t gate_width = w_hh->value.size(0), hidden = w_hh->value.size(1);
  const Schedule schedule{time, lengths, reverse};

  RecurrentSequence out;
  out.hidden = g.output({rows, time, hidden}, {&x_gates, &w_hh, &b_hh, &h0, &c0});
  std::fill(out.hidden->value.data.begin(), out.hidden->value.data.end(), 0.0f);
  if (lstm) {
    out.cell = g.output({rows, time, hidden}, {&x_gates, &w_hh, &b_hh, &h0, &c0});
    std::fill(out.cell->value.data.begin(), out.cell->value.data.end(), 0.0f);
  }

  auto saved = std::make_shared<Saved>();
  saved->gates = Tensor({time, rows, gate_width});
  saved->previous_hidden = Tensor({time, rows, hidden});
  if (lstm) {
    saved->previous_cell = Tensor({time, rows, hidden});
  } else {
    saved->candidate_recurrent = Tensor({time, rows, hidden});
  }
  Tensor h({rows, hidden}), c({rows, hidden}), gh = Tensor::uninitialized({rows, gate_width});
  if (h0) std::copy(h0->value.data.begin(), h0->value.data.end(), h.data.begin());
  if (c0) std::copy(c0->value.data.begin(), c0->value.data.end(), c.data.begin());

  const float* xg = x_gates->value.ptr();
  const float* pb = b_hh ? b_hh->value.ptr() : nullptr;
  for (int64_t k = 0; k < time; ++k) {
    // gh (B, G*H) = h W_hh^T + b_hh: the recurrent part of every gate, one GEMM for the batch.
    linear_forward(h.ptr(), w_hh->value.ptr(), pb, gh.ptr(), rows, hidden, gate_width);
    parallel_for_each(rows, 4 * gate_width, [&](int64_t b) {
      const int64_t t = schedule.position(b, k);
      if (t < 0) return;
      const int64_t step_row = k * rows + b;
      float* hb = h.ptr() + b * hidden;
      std::copy(hb, hb + hidden, saved->previous_hidden.ptr() + step_row * hidden);
      const float* x_row = xg + (b * time + t) * gate_width;
      float* gates = saved->gates.ptr() + step_row * gate_width;
      if (lstm) {
        float* cb = c.ptr() + b * hidden;
        std::copy(cb, cb + hidden, saved->previous_cell.ptr() + step_row * hidden);
        lstm_row(x_row, gh.ptr() + b * gate_width, hb, cb, gates, hidden);
        std::copy(cb, cb + hidden, out.cell->value.ptr() + (b * time + t) * hidden);
      } else {
        gru_row(x_row, gh.ptr() + b * gate_width, hb, gates,
                saved->candidate_recurrent.ptr() + step_row * hidden, hidden);
      }
      std::copy(hb, hb + hidden, out.hidden->value.ptr() + (b * time + t) * hidden);
    });
  }

  const Var hidden_out = out.hidden, cell_out = out.cell;
  g.on_backward(out.hidden, [=] {
    OpTimer timer(OpClass::kRecurrent);
    const float* dout = hidden_out->grad_ptr();
    const float* dcell_out = lstm ? cell_out->grad_ptr() : nullptr;
    Tensor dh({rows, hidden}), dc({rows, hidden});
    // dL/d(W_hh h + b_hh) of every step, step-major like previous_hidden: dW_hh is then one GEMM.
    Tensor d_recurrent({time, rows, gate_width});
    float* dx = x_gates->requires_grad ? x_gates->grad_ptr() : nullptr;
    Tensor dx_scratch = dx ? Tensor() : Tensor({rows, gate_width});
    for (int64_t k = time - 1; k >= 0; --k) {
      parallel_for_each(rows, 4 * gate_width, [&](int64_t b) {
        const int64_t t = schedule.position(b, k);
        if (t < 0) return;
        const int64_t step_row = k * rows + b, out_row = b * time + t;
        float* dhb = dh.ptr() + b * hidden;
        for (int64_t j = 0; j < hidden; ++j) dhb[j] += dout[out_row * hidden + j];
        float* d_rec = d_recurrent.ptr() + step_row * gate_width;
        float* dx_row = dx ? dx + out_row * gate_width : dx_scratch.ptr() + b * gate_width;
        const float* gates = saved->gates.ptr() + step_row * gate_width;
        if (lstm) {
          float* dcb = dc.ptr() + b * hidden;
          for (int64_t j = 0; j < hidden; ++j) dcb[j] += dcell_out[out_row * hidden + j];
          lstm_row_backward(gates, saved->previous_cell.ptr() + step_row * hidden,
                            cell_out->value.ptr() + out_row * hidden, dhb, dcb, d_rec, dx_row,
                            hidden);
        } else {
          gru_row_backward(gates, saved->candidate_recurrent.ptr() + step_row * hidden,
                           saved->previous_hidden.ptr() + step_row * hidden, dhb, d_rec, dx_row,
                           hidden);
        }
      });
      // dh += d_recurrent W_hh: the path through the previous state (finished rows add zero).
      linear_backward(d_recurrent.ptr() + k * rows * gate_width, nullptr, w_hh->value.ptr(),
                      dh.ptr(), nullptr, nullptr, rows, hidden, gate_width);
    }
    if (h0 && h0->requires_grad) {
      float* d = h0->grad_ptr();
      for (int64_t i = 0; i < rows * hidden; ++i) d[i] += dh.data[i];
    }
    if (c0 && c0->requires_grad) {
      float* d = c0->grad_ptr();
      for (int64_t i = 0; i < rows * hidden; ++i) d[i] += dc.data[i];
    }
    // dW_hh and db_hh over every step at once: saved states and gradients are step-major rows.
    linear_backward(d_recurrent.ptr(), saved->previous_hidden.ptr(), w_hh->value.ptr(), nullptr,
                    w_hh->requires_grad ? w_hh->grad_ptr() : nullptr,
                    b_hh && b_hh->requires_grad ? b_hh->grad_ptr() : nullptr, time * rows, hidden,
                    gate_width);
  });
  return out;
}

}  // namespace dikkat
