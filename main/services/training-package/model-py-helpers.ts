/**
 * The fixed part of every generated model.py (model-py.ts): the initialisers of the app's scheme and the
 * conversions between the module and CNN Studio's flat parameter / state buffers, over LEARNED_MODULES.
 */
export const MODEL_PY_HELPERS = String.raw`
def he_normal_(w, fan_in, negative_slope, generator):
    """He normal: N(0, 2 / ((1 + slope²) · fan_in)), slope = the negative slope of the (leaky) ReLU that follows."""
    std = math.sqrt(2.0 / ((1.0 + negative_slope * negative_slope) * fan_in))
    w.copy_(torch.randn(w.shape, generator=generator) * std)


def glorot_uniform_(w, fan_in, fan_out, generator):
    """Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out))."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    w.copy_((torch.rand(w.shape, generator=generator) * 2.0 - 1.0) * a)


def fan_in_uniform_(t, fan_in, generator):
    """Fan-in uniform: U(-a, a), a = 1 / sqrt(fan_in) (PyTorch's default for conv / linear layers)."""
    a = 1.0 / math.sqrt(fan_in)
    t.copy_((torch.rand(t.shape, generator=generator) * 2.0 - 1.0) * a)


def unwrap(model):
    """The Net inside a DistributedDataParallel (or any .module) wrapper."""
    while hasattr(model, "module") and isinstance(model.module, nn.Module):
        model = model.module
    return model


def count_params(model):
    """Learned parameters (equals the app's parameter count for this spec)."""
    return sum(p.numel() for p in unwrap(model).parameters())


def _learned_tensors(model):
    model = unwrap(model)
    return [t for name in LEARNED_MODULES for t in (getattr(model, name).weight, getattr(model, name).bias)]


def _state_tensors(model):
    model = unwrap(model)
    return [t for name in BATCH_NORM_MODULES for t in (getattr(model, name).running_mean, getattr(model, name).running_var)]


def flat_params(model):
    """Every learned parameter as one float32 CPU vector, in CNN Studio's order (a .cnnmodel's params)."""
    return torch.cat([t.detach().reshape(-1).float().cpu() for t in _learned_tensors(model)])


def flat_state(model):
    """Every batch norm's running mean then running variance, as one float32 CPU vector (a .cnnmodel's state)."""
    tensors = _state_tensors(model)
    if not tensors:
        return torch.zeros(0, dtype=torch.float32)
    return torch.cat([t.detach().reshape(-1).float().cpu() for t in tensors])


def load_flat(model, params, state=None):
    """Copies CNN Studio's flat params (and state) into the model: the inverse of flat_params / flat_state."""
    params = torch.as_tensor(params, dtype=torch.float32).reshape(-1)
    if params.numel() != PARAMETER_COUNT:
        raise ValueError(f"expected {PARAMETER_COUNT} parameters, got {params.numel()}")
    if state is not None:
        state = torch.as_tensor(state, dtype=torch.float32).reshape(-1)
        if state.numel() != STATE_COUNT:
            raise ValueError(f"expected {STATE_COUNT} state values, got {state.numel()}")
    with torch.no_grad():
        offset = 0
        for t in _learned_tensors(model):
            t.copy_(params[offset:offset + t.numel()].view_as(t))
            offset += t.numel()
        if state is not None:
            offset = 0
            for t in _state_tensors(model):
                t.copy_(state[offset:offset + t.numel()].view_as(t))
                offset += t.numel()


def parameter_groups(model, weight_decay):
    """Optimizer groups: weight decay on conv / dense weights only, as the app's decay mask."""
    model = unwrap(model)
    decayed = [getattr(model, name).weight for name in DECAYED_MODULES]
    ids = {id(p) for p in decayed}
    rest = [p for p in model.parameters() if id(p) not in ids]
    return [{"params": decayed, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]
`;
