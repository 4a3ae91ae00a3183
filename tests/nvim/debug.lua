-- Debugs a C export from its ⏵ Debug lens with the real nvim-dap,
-- headless:
--   nvim --headless --clean -l debug.lua PLUGIN NVIM_DAP SERVER ROOT RESULT
-- ROOT is a workspace with wit/lib.wit, src/lib.c and build/lib.wasm (the
-- C reactor of tests/fixtures/debug, with DWARF). First, without nvim-dap,
-- `:Wasmlens debug` says that it is needed. Then nvim-dap goes on
-- 'runtimepath' (as a plugin manager that loads it late would put it): a
-- breakpoint on the `// LINE: add` line of src/lib.c, `:Wasmlens debug`
-- on `export add` with arguments typed into the prompt, and the session
-- nvim-dap starts on the plugin's adapter stops there. The script reads
-- the frame, the C locals (from DWARF) and an evaluated C expression
-- through nvim-dap's session, continues, and waits for the session to end. Last, a stand-in
-- server answers a configuration at once, as for a command world: nvim-dap
-- runs it with no prompt, and the server's hint is shown. What it saw goes
-- to RESULT as JSON for the Rust test (tests/tests/e2e/nvim.rs).

local plugin, nvim_dap, server, root, result_path = arg[1], arg[2], arg[3], arg[4], arg[5]
local here = vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))
local harness = dofile(vim.fs.joinpath(here, 'harness.lua')).init(result_path)
local result = harness.result
local step = harness.step

local WAIT = 30000

vim.opt.runtimepath:prepend(plugin)
vim.cmd.runtime('ftdetect/wit.lua')
vim.cmd.runtime('plugin/wasmlens.lua')
vim.lsp.config('wasmlens', { cmd = { server, 'lsp' } })
vim.lsp.enable('wasmlens')

harness.answer_prompts({ '(2, 40)' })
harness.answer_selects('Allow once')

-- What Neovim told the user (an error would end a `-l` script).
result.notified = {}
vim.notify = function(message, level)
  table.insert(result.notified, { message = message, level = level })
end

--- The 1-based line of the first match of `pattern` in the current buffer.
local function line_of(pattern)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  return vim.fn.search(pattern, 'cnW')
end

-- The WIT file, with a resolved ⏵ Debug lens above `export add`.
vim.cmd.edit(vim.fs.joinpath(root, 'wit/lib.wit'))
local wit = vim.api.nvim_get_current_buf()
local add_line = line_of('export add')
local shown = vim.wait(WAIT, function()
  vim.api.nvim_exec_autocmds('CursorHold', { buffer = wit })
  return vim.iter(vim.lsp.codelens.get(wit)):any(function(lens)
    return lens.command and lens.command.title == '⏵ Debug' and lens.range.start.line == add_line - 1
  end)
end, 100)
step('lenses', shown)

-- Without nvim-dap: a message, and no prompt.
vim.api.nvim_win_set_cursor(0, { add_line, 0 })
vim.cmd('Wasmlens debug')
local explained = vim.wait(WAIT, function()
  return vim.iter(result.notified):any(function(n)
    return n.message:find('needs nvim-dap', 1, true) ~= nil and n.level == vim.log.levels.ERROR
  end)
end, 20)
step('needs nvim-dap', explained and #result.prompts == 0, vim.inspect(result.notified))

vim.opt.runtimepath:prepend(nvim_dap)
local dap = require('dap')
local events = { output = {} }
dap.listeners.after.event_stopped['wasmlens-test'] = function(_, body)
  events.stopped = body.reason
end
dap.listeners.after.event_output['wasmlens-test'] = function(_, body)
  table.insert(events.output, { category = body.category, output = body.output })
end
dap.listeners.after.event_exited['wasmlens-test'] = function(_, body)
  events.exit_code = body.exitCode
end
dap.listeners.after.event_terminated['wasmlens-test'] = function()
  events.terminated = true
end

-- A breakpoint as a user sets one: on the cursor's line of the C source.
vim.cmd.edit(vim.fs.joinpath(root, 'src/lib.c'))
local source = vim.api.nvim_get_current_buf()
result.breakpoint_line = line_of('// LINE: add')
vim.api.nvim_win_set_cursor(0, { result.breakpoint_line, 0 })
dap.set_breakpoint()
local placed = require('dap.breakpoints').get(source)[source] or {}
step('breakpoint', #placed == 1 and placed[1].line == result.breakpoint_line, vim.inspect(placed))

-- ⏵ Debug on `export add`: the template, the typed arguments, a session.
vim.cmd.buffer(wit)
vim.api.nvim_win_set_cursor(0, { add_line, 0 })
vim.cmd('Wasmlens debug')
local stopped = vim.wait(WAIT, function()
  local session = dap.session()
  return session ~= nil and session.current_frame ~= nil
end, 20)
local session = dap.session()
local adapter = dap.adapters.wasmlens
if type(adapter) == 'function' then
  adapter(function(resolved)
    adapter = resolved
  end, session and session.config or {})
end
result.adapter = adapter
step('adapter', type(adapter) == 'table' and adapter.command == server, vim.inspect(adapter))
step('stopped', stopped and events.stopped == 'breakpoint', vim.inspect(events))
local frame = session.current_frame
result.stopped = {
  name = frame.name,
  file = frame.source and vim.fs.basename(frame.source.path or ''),
  line = frame.line,
  reason = events.stopped,
}

--- A DAP request through nvim-dap's session, answered before it returns.
local function request(command, arguments)
  local answer
  session:request(command, arguments, function(err, body)
    answer = { err = err, body = body }
  end)
  vim.wait(WAIT, function()
    return answer ~= nil
  end, 10)
  return answer and answer.body, answer and answer.err
end

local scopes, scopes_err = request('scopes', { frameId = frame.id })
result.scopes = vim.tbl_map(function(scope)
  return scope.name
end, scopes and scopes.scopes or {})
local locals_scope = vim.iter(scopes and scopes.scopes or {}):find(function(scope)
  return scope.name == 'Locals'
end)
step('scopes', locals_scope ~= nil, vim.inspect(scopes_err or scopes))
local variables = request('variables', { variablesReference = locals_scope.variablesReference })
result.locals = {}
for _, variable in ipairs(variables and variables.variables or {}) do
  result.locals[variable.name] = variable.value
end
local evaluated = request('evaluate', { expression = 'a + b', frameId = frame.id, context = 'watch' })
result.evaluated = evaluated and evaluated.result
step('variables', result.locals['a'] ~= nil and result.evaluated ~= nil, vim.inspect(variables))

dap.continue()
local ended = vim.wait(WAIT, function()
  return events.terminated and dap.session() == nil
end, 20)
result.exit_code = events.exit_code
result.console = table.concat(
  vim.tbl_map(
    function(event)
      return event.output
    end,
    vim.tbl_filter(function(event)
      return event.category == 'console'
    end, events.output)
  ),
  ''
)
step('ended', ended, vim.inspect(events))

-- A command world's lens: the server answers a configuration at once (here
-- a stand-in server, with a hint), so nvim-dap starts it without a prompt
-- and the hint is shown.
events = { output = {} }
local get_client = vim.lsp.get_client_by_id
vim.lsp.get_client_by_id = function()
  return {
    request = function(_, _, _, handler)
      handler(nil, {
        kind = 'debugConfig',
        configuration = {
          type = 'wasmlens',
          request = 'launch',
          name = 'calls',
          component = vim.fs.joinpath(root, 'build/lib.wasm'),
          invoke = 'calls()',
          cwd = root,
        },
        stale = true,
        hint = 'the component is older than its WIT',
      })
    end,
  }
end
vim.lsp.commands['wasmlens.debugConfig']({
  command = 'wasmlens.debugConfig',
  arguments = { { kind = 'debug', uri = vim.uri_from_bufnr(wit), world = 'test:lib/lib', stale = true } },
}, { client_id = 0, bufnr = wit })
vim.lsp.get_client_by_id = get_client
ended = vim.wait(WAIT, function()
  return events.terminated and dap.session() == nil
end, 20)
local hinted = vim.iter(result.notified):any(function(n)
  return n.message == 'wasmlens: the component is older than its WIT' and n.level == vim.log.levels.WARN
end)
local printed = vim.iter(events.output):any(function(event)
  return event.output:find('calls() = 0', 1, true) ~= nil
end)
step('no prompt', ended and hinted and printed and #result.prompts == 1, vim.inspect({ events, result.notified }))
harness.finish()
