"""Prints the scheduler values of DiffusersSchedulerTestValuesTest and SchedulerDiffusersComputedValuesTest.

Run with diffusers and torch (CPU) installed:  python diffusers_values.py tests|extra
'tests' re-runs the full loops of diffusers' own tests/schedulers/test_scheduler_*.py (their
configs, dummy_sample_deter, dummy_noise_deter, dummy model sample*t/(t+1), seeds), printing
|x| sum and mean to compare with the values those tests assert; 'extra' prints the values for
features those tests pin down with no value (eta > 0, spacings, prediction type sample, ...).
"""
import torch, numpy as np
import diffusers.schedulers as S
def deter(flip=False):
    n = 4*3*8*8
    s = torch.arange(n)
    if flip: s = s.flip(-1)
    return (s.reshape(3,8,8,4) / n).permute(3,0,1,2)
X0 = False
def model(sample, t):
    if X0: return sample * 0.5 + 0.1
    if isinstance(t, torch.Tensor):
        t = t.reshape(-1, *(1,)*(len(sample.shape)-1)).to(sample.device, dtype=sample.dtype)
    return sample * t / (t + 1)

def sigma_loop(cls, cfg, steps=10, t_start=None, seed=0, noise_arg=True):
    s = cls(**cfg); s.set_timesteps(steps)
    g = torch.manual_seed(seed)
    sample = deter() * s.init_noise_sigma
    ts = s.timesteps
    if t_start is not None:
        ts = s.timesteps[t_start * s.order:]
        sample = s.add_noise(sample, deter(True), ts[:1])
    for t in ts:
        sample = s.scale_model_input(sample, t)
        out = model(sample, t)
        sample = (s.step(out, t, sample, generator=g) if noise_arg else s.step(out, t, sample)).prev_sample
    return sample

def plain_loop(cls, cfg, steps=10, t_start=None, seed=0, eta=None, noise_arg=False):
    s = cls(**cfg); s.set_timesteps(steps)
    g = torch.manual_seed(seed)
    sample = deter()
    ts = s.timesteps
    if t_start is not None:
        ts = s.timesteps[t_start * s.order:]
        sample = s.add_noise(sample, deter(True), ts[:1])
    for t in ts:
        out = model(sample, t)
        if eta is not None: sample = s.step(out, t, sample, eta, generator=g).prev_sample
        elif noise_arg: sample = s.step(out, t, sample, generator=g).prev_sample
        else: sample = s.step(out, t, sample).prev_sample
    return sample

def report(name, x):
    a = x.abs()
    print(f"{name}: sum={a.sum().item():.6f} mean={a.mean().item():.8f} first={[float('%.9g' % v) for v in x.flatten()[:3].tolist()]}")

lin = dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02, beta_schedule="linear")
lin1100 = dict(num_train_timesteps=1100, beta_start=0.0001, beta_end=0.02, beta_schedule="linear")
ddim = dict(lin, clip_sample=True)
dpm = dict(lin, solver_order=2, prediction_type="epsilon", thresholding=False, sample_max_value=1.0, algorithm_type="dpmsolver++", solver_type="midpoint", lower_order_final=False, final_sigmas_type="sigma_min", lambda_min_clipped=-float("inf"), variance_type=None)
unipc = dict(lin, solver_order=2, solver_type="bh2", final_sigmas_type="sigma_min")
ddpm = dict(lin, variance_type="fixed_small", clip_sample=True)
import sys
which = sys.argv[1] if len(sys.argv) > 1 else 'tests'
if which == 'tests':
    report("ddim no_noise 172.0067", plain_loop(S.DDIMScheduler, ddim, eta=0.0))
    report("ddim vpred 52.5302", plain_loop(S.DDIMScheduler, dict(ddim, prediction_type="v_prediction"), eta=0.0))
    report("ddim alpha1 149.8295", plain_loop(S.DDIMScheduler, dict(ddim, set_alpha_to_one=True, beta_start=0.01), eta=0.0))
    report("ddim noalpha1 149.0784", plain_loop(S.DDIMScheduler, dict(ddim, set_alpha_to_one=False, beta_start=0.01), eta=0.0))
    report("ddim with_noise 354.5418", plain_loop(S.DDIMScheduler, ddim, t_start=8, eta=0.0))
    report("dpm no_noise mean .3301", plain_loop(S.DPMSolverMultistepScheduler, dpm, noise_arg=True))
    report("dpm with_noise 318.4111", plain_loop(S.DPMSolverMultistepScheduler, dpm, t_start=5))
    report("dpm vpred mean .2251", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, prediction_type="v_prediction"), noise_arg=True))
    report("dpm karras vpred mean .2096", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, prediction_type="v_prediction", use_karras_sigmas=True), noise_arg=True))
    report("unipc no_noise mean .2464", plain_loop(S.UniPCMultistepScheduler, unipc))
    report("unipc karras mean .2925", plain_loop(S.UniPCMultistepScheduler, dict(unipc, use_karras_sigmas=True)))
    report("unipc vpred mean .1014", plain_loop(S.UniPCMultistepScheduler, dict(unipc, prediction_type="v_prediction")))
    report("unipc karras vpred .1966", plain_loop(S.UniPCMultistepScheduler, dict(unipc, prediction_type="v_prediction", use_karras_sigmas=True)))
    report("unipc with_noise 315.5757", plain_loop(S.UniPCMultistepScheduler, unipc, t_start=8))
    report("euler no_noise 10.0807", sigma_loop(S.EulerDiscreteScheduler, lin1100))
    report("euler vpred 0.0002", sigma_loop(S.EulerDiscreteScheduler, dict(lin1100, prediction_type="v_prediction")))
    report("euler karras 124.52299499511719", sigma_loop(S.EulerDiscreteScheduler, dict(lin1100, use_karras_sigmas=True)))
    report("euler with_noise 57062.9297", sigma_loop(S.EulerDiscreteScheduler, lin1100, t_start=8))
    report("eulera no_noise 152.3192", sigma_loop(S.EulerAncestralDiscreteScheduler, lin1100))
    report("eulera vpred 108.4439", sigma_loop(S.EulerAncestralDiscreteScheduler, dict(lin1100, prediction_type="v_prediction")))
    report("eulera with_noise 56163.0508", sigma_loop(S.EulerAncestralDiscreteScheduler, lin1100, t_start=8))
    report("lms no_noise 1006.388", sigma_loop(S.LMSDiscreteScheduler, lin1100, noise_arg=False))
    report("lms vpred 0.0017", sigma_loop(S.LMSDiscreteScheduler, dict(lin1100, prediction_type="v_prediction"), noise_arg=False))
    report("lms karras 3812.9927", sigma_loop(S.LMSDiscreteScheduler, dict(lin1100, use_karras_sigmas=True), noise_arg=False))
    report("lms with_noise 27663.6895", sigma_loop(S.LMSDiscreteScheduler, lin1100, t_start=8, noise_arg=False))
    report("heun no_noise 0.1233", sigma_loop(S.HeunDiscreteScheduler, lin1100, noise_arg=False))
    report("heun vpred 4.6934e-07", sigma_loop(S.HeunDiscreteScheduler, dict(lin1100, prediction_type="v_prediction"), noise_arg=False))
    report("heun karras 0.00015", sigma_loop(S.HeunDiscreteScheduler, dict(lin1100, use_karras_sigmas=True), noise_arg=False))
    report("heun with_noise 75074.8906", sigma_loop(S.HeunDiscreteScheduler, lin1100, t_start=8, noise_arg=False))
    # PNDM: prk then plms (test full_loop)
    for name, cfg in [("pndm 198.1318", lin), ("pndm vpred 67.3986", dict(lin, prediction_type="v_prediction")),
                      ("pndm alpha1 230.0399", dict(lin, set_alpha_to_one=True, beta_start=0.01)), ("pndm noalpha1 186.9482", dict(lin, set_alpha_to_one=False, beta_start=0.01))]:
        report(name, plain_loop(S.PNDMScheduler, cfg))
    # DDPM: all 1000 training steps, no set_timesteps
    s = S.DDPMScheduler(**ddpm); g = torch.manual_seed(0); x = deter()
    for t in reversed(range(1000)): x = s.step(model(x, t), t, x, generator=g).prev_sample
    report("ddpm no_noise 258.9606", x)
    s = S.DDPMScheduler(**dict(ddpm, prediction_type="v_prediction")); g = torch.manual_seed(0); x = deter()
    for t in reversed(range(1000)): x = s.step(model(x, t), t, x, generator=g).prev_sample
    report("ddpm vpred 202.0296", x)
    s = S.DDPMScheduler(**ddpm); g = torch.manual_seed(0); x = deter(); ts = s.timesteps[998:]
    x = s.add_noise(x, deter(True), ts[:1])
    for t in ts: x = s.step(model(x, t), t, x, generator=g).prev_sample
    report("ddpm with_noise 387.9466", x)
else:
    report("extra ddim eta0.5", plain_loop(S.DDIMScheduler, ddim, eta=0.5))
    report("extra ddim eta1 with_noise", plain_loop(S.DDIMScheduler, ddim, t_start=5, eta=1.0))
    report("extra ddim trailing", plain_loop(S.DDIMScheduler, dict(ddim, timestep_spacing="trailing"), eta=0.0))
    globals()["X0"] = True
    report("extra ddim sample", plain_loop(S.DDIMScheduler, dict(ddim, prediction_type="sample"), eta=0.0))
    report("extra ddpm sample 10 steps", plain_loop(S.DDPMScheduler, dict(ddpm, prediction_type="sample"), noise_arg=True))
    report("extra euler sample", sigma_loop(S.EulerDiscreteScheduler, dict(lin1100, prediction_type="sample")))
    report("extra dpm sample", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, prediction_type="sample")))
    report("extra heun sample", sigma_loop(S.HeunDiscreteScheduler, dict(lin1100, prediction_type="sample"), noise_arg=False))
    report("extra unipc sample", plain_loop(S.UniPCMultistepScheduler, dict(unipc, final_sigmas_type="zero", prediction_type="sample")))
    report("extra lms sample", sigma_loop(S.LMSDiscreteScheduler, dict(lin1100, prediction_type="sample"), noise_arg=False))
    globals()["X0"] = False
    report("extra euler trailing", sigma_loop(S.EulerDiscreteScheduler, dict(lin1100, timestep_spacing="trailing")))
    report("extra euler leading", sigma_loop(S.EulerDiscreteScheduler, dict(lin1100, timestep_spacing="leading", steps_offset=1)))
    report("extra eulera trailing", sigma_loop(S.EulerAncestralDiscreteScheduler, dict(lin1100, timestep_spacing="trailing")))
    report("extra dpm zero", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True)))
    report("extra dpm zero trailing", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, timestep_spacing="trailing")))
    report("extra dpm zero leading", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, timestep_spacing="leading", steps_offset=1)))
    report("extra dpm order3", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, solver_order=3)))
    report("extra dpm heun", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, solver_type="heun")))
    report("extra unipc order3", plain_loop(S.UniPCMultistepScheduler, dict(unipc, final_sigmas_type="zero", solver_order=3)))
    report("extra unipc bh1 sigma_min", plain_loop(S.UniPCMultistepScheduler, dict(unipc, solver_type="bh1")))
    report("extra dpm karras zero", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, use_karras_sigmas=True)))
    report("extra dpm karras zero with_noise", plain_loop(S.DPMSolverMultistepScheduler, dict(dpm, final_sigmas_type="zero", lower_order_final=True, use_karras_sigmas=True), t_start=4))
    report("extra pndm skip trailing", plain_loop(S.PNDMScheduler, dict(lin, skip_prk_steps=True, timestep_spacing="trailing")))
    report("extra lms trailing", sigma_loop(S.LMSDiscreteScheduler, dict(lin1100, timestep_spacing="trailing"), noise_arg=False))
    for cls, cfg in [(S.DDIMScheduler, dict(lin, timestep_spacing="trailing")), (S.EulerDiscreteScheduler, dict(lin, timestep_spacing="trailing")),
                     (S.DPMSolverMultistepScheduler, dict(lin, timestep_spacing="trailing")), (S.DPMSolverMultistepScheduler, dict(lin, timestep_spacing="leading", steps_offset=1)),
                     (S.PNDMScheduler, dict(lin, timestep_spacing="trailing", skip_prk_steps=True)), (S.DDIMScheduler, dict(lin, timestep_spacing="linspace"))]:
        for n in [3, 7]:
            s = cls(**cfg); s.set_timesteps(n)
            print("ts", cls.__name__, cfg.get("timestep_spacing"), n, s.timesteps.tolist(), [round(v, 8) for v in s.sigmas.tolist()] if hasattr(s, 'sigmas') and s.sigmas is not None and cls != S.DDIMScheduler and cls != S.PNDMScheduler else "")
