//! The lens commands (`wasmlens.run`, `invoke`, `trace`, `build`) in three
//! steps: parse the request into a [`Job`] (refusing what the world cannot
//! do), run it on a blocking thread while progress and output flow to the
//! client, and render the answer ([`super::lens_answer`]).
//!
//! Cancelling the request (`$/cancelRequest` or the progress' cancel
//! button) stops the guest at its next epoch tick and kills a build.

use std::sync::Arc;
use std::time::Instant;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::ProgressToken;

use super::consent_prompt::{Answer, ask};
use super::lens_answer::{Done, render};
use super::lens_target::LensTarget;
use crate::lenses::consent::{build_wishes, run_wishes, without};
use crate::lenses::runner::{self, Action, Events};
use crate::lsp::convert::uri_of;
use crate::lsp::errors::{invalid_params, request_failed};
use crate::lsp::ext::{
    DebugConfigAnswer, LaunchConfiguration, LaunchDir, LensAnswer, LensCommand,
    LensCommandArgument, LensKind, TemplateAnswer,
};
use crate::lsp::run_progress::{Channel, RunProgress};
use crate::lsp::state::{State, lock, off_runtime};
use tower_lsp_server::ls_types::MessageType;
use wasmlens_runtime::{HttpRequest, Stdio};

/// What a lens command asks for, parsed and checked against the world.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    /// Invoke, trace or debug without arguments: the WAVE template of
    /// `export`, answered without running anything.
    Template {
        export: String,
    },
    /// A launch configuration for `wasmlens dap`: the client starts it.
    Debug {
        call: Option<String>,
        program_args: Vec<String>,
    },
    Work(Job),
}

/// Work that runs, with progress and output.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    /// Run, invoke or trace the component.
    Execute {
        action: Action,
        program_args: Vec<String>,
    },
    /// The world's `[[component]] build` command.
    Build,
}

pub async fn execute(
    state: &Arc<State>,
    command: LensCommand,
    argument: LensCommandArgument,
    token: Option<ProgressToken>,
) -> Result<LensAnswer> {
    let mut target = LensTarget::find(state, &argument.lens).await?;
    let job = match parse(command, argument, &target)? {
        Request::Template { export } => return template(state, &target, export).await,
        Request::Debug { call, program_args } => {
            return debug_config(state, &mut target, call, program_args).await;
        }
        Request::Work(job) => job,
    };
    let withheld = consent(state, &mut target, matches!(job, Job::Build)).await?;
    let title = match &job {
        Job::Build => format!("Building {}", target.world.name),
        Job::Execute {
            action: Action::Run,
            ..
        } => format!("Running {}", target.world.name),
        Job::Execute {
            action: Action::Invoke(call) | Action::Trace(call),
            ..
        } => call.clone(),
        Job::Execute {
            action: Action::Request { request, .. },
            ..
        } => format!("{} {}", request.method, request.path),
    };
    let mut progress = RunProgress::begin(state, token, title).await;
    if let Some(withheld) = withheld {
        progress.say(&withheld).await;
    }
    clear_run_diagnostics(state).await;
    let done = run(state, &target, job, &mut progress).await?;
    let rendered = render(&target, &progress.run_id, done);
    if let Some(trap) = rendered.trap
        && let Some(uri) = uri_of(&trap.path)
    {
        lock(&state.run_diagnostics).insert(trap.path);
        state
            .client
            .publish_diagnostics(uri, vec![trap.diagnostic], None)
            .await;
    }
    if matches!(rendered.answer, LensAnswer::Build(_)) {
        // A build changes what the lenses say (found, stale).
        let client = state.client.clone();
        tokio::spawn(async move {
            let _ = client.code_lens_refresh().await;
        });
    }
    Ok(rendered.answer)
}

/// The request as a [`Job`], or why the world cannot do it.
fn parse(
    command: LensCommand,
    argument: LensCommandArgument,
    target: &LensTarget,
) -> Result<Request> {
    let world = &target.world;
    let export = match command {
        LensCommand::Build => return Ok(Request::Work(Job::Build)),
        LensCommand::Request => return http_request(argument, target).map(Request::Work),
        LensCommand::Run if !world.is_command => {
            return Err(invalid_params(format!(
                "{} does not export wasi:cli/run, so it cannot run; invoke its functions instead",
                world.name
            )));
        }
        LensCommand::Run => {
            return Ok(Request::Work(Job::Execute {
                action: Action::Run,
                program_args: argument.args,
            }));
        }
        LensCommand::DebugConfig => match argument.lens.export.clone() {
            Some(export) => export,
            None if world.is_command => {
                return Ok(Request::Debug {
                    call: None,
                    program_args: argument.args,
                });
            }
            None => {
                return Err(invalid_params(format!(
                    "{} does not export wasi:cli/run; debug one of its functions (give `export`)",
                    world.name
                )));
            }
        },
        LensCommand::Invoke | LensCommand::Trace => argument.lens.export.ok_or_else(|| {
            invalid_params("invoke and trace need `export`, the function to call")
        })?,
    };
    if !world.functions.iter().any(|f| f.call_name == export) {
        return Err(invalid_params(format!(
            "{} exports no function `{export}`",
            world.name
        )));
    }
    let Some(arguments) = argument.arguments else {
        return Ok(Request::Template { export });
    };
    let arguments = arguments.trim();
    let call = if arguments.starts_with('(') {
        format!("{export}{arguments}")
    } else {
        format!("{export}({arguments})")
    };
    let action = match command {
        LensCommand::Trace => Action::Trace(call),
        LensCommand::DebugConfig => {
            return Ok(Request::Debug {
                call: Some(call),
                program_args: Vec::new(),
            });
        }
        _ => Action::Invoke(call),
    };
    Ok(Request::Work(Job::Execute {
        action,
        program_args: Vec::new(),
    }))
}

/// A request lens' HTTP request: `GET /` unless the client says otherwise.
fn http_request(argument: LensCommandArgument, target: &LensTarget) -> Result<Job> {
    let world = &target.world;
    if !world.is_http_handler {
        return Err(invalid_params(format!(
            "{} does not export wasi:http/incoming-handler, so it cannot handle a request",
            world.name
        )));
    }
    let method = argument
        .method
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or("GET")
        .to_ascii_uppercase();
    if !method.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
        return Err(invalid_params(format!(
            "`{method}` is not an HTTP method; write e.g. GET, POST or DELETE"
        )));
    }
    let path = argument.path.unwrap_or_else(|| "/".to_string());
    if !path.starts_with('/') || path.chars().any(char::is_whitespace) {
        return Err(invalid_params(format!(
            "`{path}` is not a request path: it starts with `/` and has no spaces (`/items?id=3`)"
        )));
    }
    Ok(Job::Execute {
        action: Action::Request {
            request: HttpRequest {
                method,
                path,
                headers: argument.headers,
                body: argument.body.unwrap_or_default().into_bytes(),
            },
            trace: argument.lens.kind == LensKind::TraceRequest,
        },
        program_args: Vec::new(),
    })
}

/// What the workspace's `wasmlens.toml` asks for beyond an empty sandbox,
/// put to the user unless they allowed it for this content before. A
/// denied build is refused; a denied run runs without what was denied,
/// and the returned line says so.
async fn consent(state: &State, target: &mut LensTarget, build: bool) -> Result<Option<String>> {
    let settings = &target.runs.settings;
    let wishes = if build {
        target
            .located
            .build
            .as_deref()
            .and_then(|command| build_wishes(settings, command))
    } else {
        run_wishes(settings)
    };
    let Some(wishes) = wishes else {
        return Ok(None);
    };
    if state.consent.allows(&wishes) {
        return Ok(None);
    }
    match ask(state, &wishes).await {
        Answer::Once => Ok(None),
        Answer::Always => {
            if let Err(message) = state.consent.allow_always(&wishes) {
                state.client.show_message(MessageType::ERROR, message).await;
            }
            Ok(None)
        }
        Answer::Deny => match build {
            true => Err(request_failed(format!(
                "the build command of {} was not run: it was not allowed; run it again to be asked again",
                wishes.file.display()
            ))),
            false => {
                let denied: Vec<String> = wishes.items.iter().map(|w| w.to_string()).collect();
                target.runs.settings = without(&target.runs.settings, &wishes);
                Ok(Some(format!(
                    "wasmlens: running without what {} asks for, as it was not allowed: {}\n",
                    wishes.file.display(),
                    denied.join("; ")
                )))
            }
        },
    }
}

/// The launch configuration of a debug session for the lens' world: its
/// component, the call (or the command's arguments) and the grants of
/// `[run]` the user allows.
async fn debug_config(
    state: &State,
    target: &mut LensTarget,
    call: Option<String>,
    program_args: Vec<String>,
) -> Result<LensAnswer> {
    let component = target.component()?;
    // The session gets the grants, so the user consents first, as for Run.
    let withheld = consent(state, target, false).await?;
    let settings = &target.runs.settings;
    let capabilities = settings.capabilities(&target.runs.base, Stdio::Inherit);
    let name = match &call {
        Some(call) => format!("Debug {call} ({})", target.world.name),
        None => format!("Debug {}", target.world.name),
    };
    let path = component.clone();
    let has_dwarf = off_runtime(move || {
        std::fs::read(&path).is_ok_and(|bytes| wasmlens_runtime::debug::has_dwarf(&bytes))
    })
    .await?;
    let mut hints = Vec::new();
    if !has_dwarf {
        hints.push(format!(
            "{} has no debug info: it debugs by instruction only; build it with debug info (clang -g, a debug profile) for source lines",
            component.display()
        ));
    }
    if target.located.stale {
        hints.push("the component is older than its WIT; rebuild it first".to_string());
    }
    hints.extend(withheld);
    Ok(LensAnswer::DebugConfig(DebugConfigAnswer {
        configuration: LaunchConfiguration {
            kind: "wasmlens",
            request: "launch",
            name,
            component,
            invoke: call,
            args: program_args,
            env: capabilities.env.into_iter().collect(),
            dirs: capabilities
                .dirs
                .into_iter()
                .map(|d| LaunchDir {
                    host: d.host,
                    guest: d.guest,
                    read_only: d.read_only,
                })
                .collect(),
            allow_net: capabilities.allow_net,
            stop_on_entry: false,
            cwd: target.runs.base.clone(),
        },
        stale: target.located.stale,
        hint: (!hints.is_empty()).then(|| hints.join("; ")),
    }))
}

async fn template(state: &State, target: &LensTarget, export: String) -> Result<LensAnswer> {
    let component = target.component()?;
    let runner = state.runner.clone();
    let (path, name) = (component.clone(), export.clone());
    let template = off_runtime(move || runner.template(&path, &name))
        .await?
        .map_err(request_failed)?;
    Ok(LensAnswer::Template(TemplateAnswer {
        export,
        template,
        component,
    }))
}

/// Runs the job on a blocking thread, forwarding its progress and output
/// as it goes and what is left once it ends.
async fn run(
    state: &Arc<State>,
    target: &LensTarget,
    job: Job,
    progress: &mut RunProgress,
) -> Result<Done> {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let events: Arc<dyn Events> = Arc::new(Channel(sender));
    let runner = state.runner.clone();
    let cancel = progress.cancel.clone();
    let component = target.component();
    let base = target.runs.base.clone();
    let settings = target.runs.settings.clone();
    let build_command = target.located.build.clone();
    let world_name = target.world.name.clone();
    let work = off_runtime(move || -> Result<Done> {
        match job {
            Job::Build => {
                let command = build_command.ok_or_else(|| {
                    request_failed(format!(
                        "no build command for {world_name}: add `build = \"…\"` to its [[component]] in wasmlens.toml"
                    ))
                })?;
                let started = Instant::now();
                let code = runner::build(&command, &base, &cancel, events.as_ref())
                    .map_err(request_failed)?;
                runner.files_changed();
                Ok(Done::Built {
                    command,
                    code,
                    duration: started.elapsed(),
                })
            }
            Job::Execute {
                action,
                program_args,
            } => {
                let component = component?;
                let mut settings = settings;
                settings.program_args = program_args;
                let execution = runner
                    .execute(&component, &action, &settings, &base, cancel, events)
                    .map_err(request_failed)?;
                Ok(Done::Executed {
                    action,
                    component,
                    execution,
                })
            }
        }
    });
    tokio::pin!(work);
    let done = loop {
        tokio::select! {
            biased;
            message = receiver.recv() => match message {
                Some(message) => progress.forward(message).await,
                None => break (&mut work).await,
            },
            done = &mut work => break done,
        }
    };
    while let Ok(message) = receiver.try_recv() {
        progress.forward(message).await;
    }
    progress.finish().await;
    done?
}

/// Clears the diagnostics the last run left.
async fn clear_run_diagnostics(state: &State) {
    let paths = std::mem::take(&mut *lock(&state.run_diagnostics));
    for path in paths {
        if let Some(uri) = uri_of(&path) {
            state
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }
}
