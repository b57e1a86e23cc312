"""The fine-tuning loop shared by the span tagger and the technique classifier."""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

log = logging.getLogger("propscan.train")


@dataclass(frozen=True)
class Schedule:
    """How long and how fast to fine-tune."""

    epochs: float
    batch_size: int
    lr: float
    head_lr_factor: float = 10.0
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_steps: int | None = None
    minutes: float | None = None
    seed: int = 0
    bf16: bool = False
    device: str = "cpu"


def layer_override(layers: int | None) -> dict[str, int]:
    """``from_pretrained`` arguments that keep only the encoder's first ``layers`` layers."""
    return {} if layers is None else {"num_hidden_layers": layers}


def soft_cross_entropy(
    logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy of ``(rows, classes)`` logits against target distributions, each row
    weighted (a one-hot row with its class's weight is ``CrossEntropyLoss(weight=...)``'s term;
    weight 0 leaves a row out), averaged over the weights."""
    losses = -(targets * torch.log_softmax(logits.float(), dim=-1)).sum(dim=-1)
    return (losses * weights).sum() / weights.sum().clamp(min=1e-8)


def bf16_is_fast() -> bool:
    """Whether this CPU computes bfloat16 natively (AMX or AVX-512 BF16): mixed precision is then
    2-3x faster; elsewhere it is emulated and slower than float32."""
    cpu = torch.cpu
    return bool(cpu._is_amx_tile_supported() or cpu._is_avx512_bf16_supported())


def training_device() -> str:
    """``cuda`` where PyTorch sees a GPU (an optional speed-up for experiments), else ``cpu``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def where_to_train(device: str | None, bf16: bool | None) -> tuple[str, bool]:
    """The device (``None``: a GPU where PyTorch sees one) and whether to train under bfloat16
    autocast (``None``: on a GPU, or where the CPU computes bfloat16 natively)."""
    chosen = device or training_device()
    return chosen, (chosen == "cuda" or bf16_is_fast()) if bf16 is None else bf16


def length_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """One epoch of batches: shuffled, then similar lengths grouped to waste little padding."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches: list[list[int]] = []
    for first in range(0, len(order), pool):
        chunk = sorted(order[first : first + pool], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def fit(
    model: torch.nn.Module,
    head: torch.nn.Module,
    lengths: Sequence[int],
    loss_of: Callable[[list[int]], torch.Tensor],
    schedule: Schedule,
    name: str,
) -> float:
    """Fine-tune ``model`` with AdamW and linear warm-up/decay; returns the seconds it took.

    ``head`` (the freshly initialised layer) learns ``head_lr_factor`` times faster. With
    ``schedule.bf16`` the forward pass runs under bfloat16 autocast (weights stay float32). With
    ``schedule.minutes``, the number of steps shrinks (every 25 steps, from the pace so far) so
    that training ends in time; the learning rate still decays to zero at the last step. The
    model trains on ``schedule.device`` (``loss_of`` puts its tensors there) and ends on the CPU.
    """
    rng = random.Random(schedule.seed)
    torch.manual_seed(schedule.seed)
    model.to(schedule.device)
    per_epoch = math.ceil(len(lengths) / schedule.batch_size)
    total = max(1, math.ceil(schedule.epochs * per_epoch))
    if schedule.max_steps is not None:
        total = min(total, schedule.max_steps)
    head_ids = {id(p) for p in head.parameters()}
    body = [p for p in model.parameters() if id(p) not in head_ids]
    optimizer = torch.optim.AdamW(
        [
            {"params": body, "lr": schedule.lr},
            {"params": list(head.parameters()), "lr": schedule.lr * schedule.head_lr_factor},
        ],
        weight_decay=schedule.weight_decay,
    )
    warmup = max(1, int(schedule.warmup * total))
    plan = [total]
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / warmup, max(0.0, (plan[0] - step) / max(1, plan[0] - warmup))
        ),
    )
    model.train()
    started = time.monotonic()
    queue: list[list[int]] = []
    running = 0.0
    step = 0
    while step < plan[0]:
        step += 1
        if not queue:
            queue = length_batches(lengths, schedule.batch_size, rng)
        with torch.autocast(schedule.device, dtype=torch.bfloat16, enabled=schedule.bf16):
            loss = loss_of(queue.pop()).float()
        torch.autograd.backward(loss)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        running += loss.item()
        elapsed = time.monotonic() - started
        if schedule.minutes is not None and step % 25 == 0:
            affordable = step + int((60 * schedule.minutes - elapsed) / (elapsed / step))
            plan[0] = max(step + 1, min(total, affordable))
        if step % 25 == 0 or step == plan[0]:
            log.info(
                "%s step %d/%d (epoch %.2f) loss %.4f, %.0f s",
                name,
                step,
                plan[0],
                step / per_epoch,
                running / (25 if step % 25 == 0 else step % 25),
                elapsed,
            )
            running = 0.0
    model.eval()
    model.to("cpu")
    return time.monotonic() - started
