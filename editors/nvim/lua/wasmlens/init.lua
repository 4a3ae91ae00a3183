-- The client side of wasmlens' run lenses in Neovim.
--
-- The server's lenses carry commands (`wasmlens.run`, `wasmlens.invoke`,
-- `wasmlens.trace`, `wasmlens.build`, `wasmlens.debugConfig`) whose one
-- argument says what they are about. Here each command is handled before
-- it reaches the server: Invoke and Trace first ask the server for a WAVE
-- template of the function's parameters and let the user edit it in
-- `vim.ui.input`; then the command runs on the server, whose output
-- (`wasmlens/output`) and result go to a scratch split, `wasmlens://output`.
-- ⏵ Debug asks the same way, then hands the server's launch configuration
-- to nvim-dap (`wasmlens.dap`). ▶ Request and Trace Request
-- (`wasmlens.request`) ask for a request line, `GET /` the first time.
local M = {}

local OUTPUT_NAME = 'wasmlens://output'

--- Arguments typed last, per file, world and export (`memory_key`),
--- offered again next time.
M.last_arguments = {}

--- Where the arguments of a lens' export are remembered: the same export
--- name in another world or file is another function. The VS Code
--- extension keys its memory the same way (argumentMemory.ts).
function M.memory_key(argument)
  return ('%s#%s#%s'):format(argument.uri, argument.world, argument.export or '')
end

--- What the prompt starts with: the arguments typed last, else the
--- server's template; `()` (with a warning) when the server sent none.
function M.prompt_default(answer, remembered)
  if remembered and vim.trim(remembered) ~= '' then
    return remembered
  end
  if type(answer) == 'table' and type(answer.template) == 'string' then
    return answer.template
  end
  vim.notify('wasmlens: the server sent no argument template; starting from ()', vim.log.levels.WARN)
  return '()'
end

--- Asks the user for the arguments of the lens' export (`argument`),
--- starting from the server's template `answer` or what was typed last;
--- `on_input` gets what was typed, nothing runs on Escape.
function M.ask_arguments(argument, answer, on_input)
  local key = M.memory_key(argument)
  local default = M.prompt_default(answer, M.last_arguments[key])
  vim.ui.input({ prompt = (argument.export or '') .. ' ', default = default }, function(input)
    if not input then
      return
    end
    M.last_arguments[key] = input
    on_input(input)
  end)
end

--- Requests typed last, per file and world (both request lenses share it).
M.last_requests = {}

--- What the request prompt starts with the first time.
M.FIRST_REQUEST = 'GET /'

--- A request line as the VS Code extension reads it (requestInput.ts):
--- `METHOD PATH`, headers after `;`, the body after ` | `. Returns the
--- fields of `wasmlens.request`, or a message saying what is wrong.
function M.parse_request(line)
  local bar = line:find(' | ', 1, true)
  local head = bar and line:sub(1, bar - 1) or line
  local body = bar and line:sub(bar + 3) or nil
  local parts = vim.split(head, ';', { plain = true })
  local words = vim.split(vim.trim(parts[1]), '%s+', { trimempty = true })
  if #words == 0 then
    return nil, 'write a method and a path, e.g. GET /'
  end
  local method, path = words[1], words[2] or '/'
  if not method:match('^[%a-]+$') then
    return nil, ('`%s` is not an HTTP method (GET, POST, PUT, DELETE, …)'):format(method)
  end
  if path:sub(1, 1) ~= '/' then
    return nil, ('the path `%s` must start with /'):format(path)
  end
  if #words > 2 then
    return nil, ('unexpected `%s`: headers come after `;`, the body after ` | `'):format(table.concat(words, ' ', 3))
  end
  local headers = {}
  for i = 2, #parts do
    local part = vim.trim(parts[i])
    if part ~= '' then
      local colon = part:find(':', 1, true)
      if not colon or colon == 1 then
        return nil, ('the header `%s` is not `name: value`'):format(part)
      end
      table.insert(headers, { vim.trim(part:sub(1, colon - 1)), vim.trim(part:sub(colon + 1)) })
    end
  end
  return { method = method:upper(), path = path, headers = headers, body = body }
end

--- The scratch buffer that shows runs, created on first use.
local function output_buffer()
  local buf = vim.fn.bufnr(OUTPUT_NAME)
  if buf == -1 or not vim.api.nvim_buf_is_valid(buf) then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, OUTPUT_NAME)
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'hide'
    vim.bo[buf].swapfile = false
    vim.bo[buf].filetype = 'wasmlens-output'
  end
  return buf
end

--- Shows the output buffer in a split (once) without leaving the
--- current window.
local function show_output()
  local buf = output_buffer()
  if vim.fn.bufwinid(buf) == -1 then
    local window = vim.api.nvim_get_current_win()
    vim.cmd('botright split')
    vim.api.nvim_win_set_buf(0, buf)
    vim.api.nvim_win_set_height(0, 12)
    vim.api.nvim_set_current_win(window)
  end
  return buf
end

--- Appends `text` (which may hold newlines) to the output buffer.
function M.append(text)
  local buf = show_output()
  local lines = vim.split(text, '\n', { plain = true })
  local last = vim.api.nvim_buf_line_count(buf)
  local tail = vim.api.nvim_buf_get_lines(buf, last - 1, last, false)[1] or ''
  -- Output continues the last line until a newline ends it.
  lines[1] = tail .. lines[1]
  vim.api.nvim_buf_set_lines(buf, last - 1, last, false, lines)
  local window = vim.fn.bufwinid(buf)
  if window ~= -1 then
    vim.api.nvim_win_set_cursor(window, { vim.api.nvim_buf_line_count(buf), 0 })
  end
end

--- `wasmlens/output`: a piece of stdout or stderr of a run or build.
function M.output(params)
  vim.schedule(function()
    M.append(params.text)
  end)
end

--- The lens kinds (the `kind` of a lens' data, and `:Wasmlens KIND`) and
--- the command each runs.
local LENSES = {
  run = 'wasmlens.run',
  invoke = 'wasmlens.invoke',
  trace = 'wasmlens.trace',
  build = 'wasmlens.build',
  debug = 'wasmlens.debugConfig',
  request = 'wasmlens.request',
  traceRequest = 'wasmlens.request',
}

local TITLES = {
  ['wasmlens.run'] = '▶ Run',
  ['wasmlens.invoke'] = '▶ Invoke',
  ['wasmlens.trace'] = 'Trace',
  ['wasmlens.build'] = 'Build',
  ['wasmlens.debugConfig'] = '⏵ Debug',
  ['wasmlens.request'] = '▶ Request',
}

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'wasmlens' })[1]
end

--- Runs `command` on the server and shows its result.
local function execute(client, bufnr, command, argument)
  local about = argument.method and ('%s %s %s'):format(argument.world, argument.method, argument.path)
    or argument.export
    or argument.world
  M.append(('\n── %s %s\n'):format(command, about))
  client:request('workspace/executeCommand', {
    command = command,
    arguments = { argument },
  }, function(err, result)
    vim.schedule(function()
      if err then
        M.append('error: ' .. err.message .. '\n')
      elseif result then
        M.append((result.text or vim.json.encode(result)) .. '\n')
        if result.backtrace and #result.backtrace > 0 and result.kind ~= 'trace' then
          M.append('wasm backtrace:\n  ' .. table.concat(result.backtrace, '\n  ') .. '\n')
        end
      end
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    end)
  end, bufnr)
end

--- Invoke and Trace: the template from the server, edited by the user,
--- then the call.
local function call_with_arguments(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local argument = vim.deepcopy(command.arguments[1])
  client:request('workspace/executeCommand', {
    command = command.command,
    arguments = { argument },
  }, function(err, answer)
    vim.schedule(function()
      if err then
        M.append('error: ' .. err.message .. '\n')
        return
      end
      M.ask_arguments(argument, answer, function(input)
        argument.arguments = input
        execute(client, ctx.bufnr, command.command, argument)
      end)
    end)
  end, ctx.bufnr)
end

--- ▶ Request and Trace Request: a request line from the user (the last
--- one of this world, else `GET /`), then the request.
local function request(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local argument = vim.deepcopy(command.arguments[1])
  local key = ('%s#%s'):format(argument.uri, argument.world)
  local prompt = (argument.kind == 'traceRequest' and 'Trace request ' or 'Request ')
  vim.ui.input({ prompt = prompt, default = M.last_requests[key] or M.FIRST_REQUEST }, function(input)
    if not input then
      return
    end
    local fields, problem = M.parse_request(input)
    if not fields then
      vim.notify('wasmlens: ' .. problem, vim.log.levels.ERROR)
      return
    end
    M.last_requests[key] = input
    argument = vim.tbl_extend('force', argument, fields)
    execute(client, ctx.bufnr, command.command, argument)
  end)
end

local function run_as_is(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  execute(client, ctx.bufnr, command.command, vim.deepcopy(command.arguments[1]))
end

--- Client-side handlers of the lens commands (`vim.lsp.commands`), the
--- `:Wasmlens` command, and fresh lenses in every buffer wasmlens attaches
--- to. An LspAttach autocmd rather than the config's `on_attach`, which a
--- user's `vim.lsp.config('wasmlens', { on_attach = ... })` replaces.
function M.setup()
  vim.api.nvim_create_autocmd('LspAttach', {
    group = vim.api.nvim_create_augroup('wasmlens', { clear = true }),
    desc = 'wasmlens: keep the run lenses fresh',
    callback = function(event)
      local client = vim.lsp.get_client_by_id(event.data.client_id)
      if client and client.name == 'wasmlens' then
        M.attach(client, event.buf)
      end
    end,
  })

  vim.lsp.commands['wasmlens.invoke'] = call_with_arguments
  vim.lsp.commands['wasmlens.trace'] = call_with_arguments
  vim.lsp.commands['wasmlens.run'] = run_as_is
  vim.lsp.commands['wasmlens.build'] = run_as_is
  vim.lsp.commands['wasmlens.request'] = request
  local nvim_dap = require('wasmlens.dap')
  vim.lsp.commands['wasmlens.debugConfig'] = nvim_dap.debug_lens
  nvim_dap.setup()

  vim.api.nvim_create_user_command('Wasmlens', function(opts)
    M.command(opts.args)
  end, {
    nargs = 1,
    complete = function()
      return { 'run', 'invoke', 'debug', 'trace', 'build', 'request', 'traceRequest' }
    end,
    desc = 'wasmlens: run, invoke, trace, build, debug or request what the lens under the cursor runs',
  })
end

--- Keeps the lenses of `bufnr` fresh: after edits and saves.
function M.attach(client, bufnr)
  local group = vim.api.nvim_create_augroup('wasmlens-lenses-' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost', 'CursorHold' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    end,
  })
  vim.lsp.codelens.refresh({ bufnr = bufnr })
end

--- `:Wasmlens KIND`: the lens of that kind on the cursor's line, or the
--- nearest one above it (the export the cursor is in).
function M.command(kind)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_for(bufnr)
  if not client then
    vim.notify('wasmlens is not attached to this buffer', vim.log.levels.ERROR)
    return
  end
  local wanted = LENSES[kind]
  if not wanted then
    vim.notify('usage: :Wasmlens run|invoke|trace|build|debug|request|traceRequest', vim.log.levels.ERROR)
    return
  end
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  -- The lens' kind is in its data before it is resolved: Neovim resolves
  -- lenses lazily, and the nearest one may not be yet (picking the nearest
  -- resolved one would run another export).
  local best
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    local start = lens.range.start.line
    -- The kind tells Request from Trace Request (one command, two lenses).
    local lens_kind = lens.data and lens.data.kind
      or (lens.command and lens.command.arguments and lens.command.arguments[1].kind)
    local lens_command = lens.command and lens.command.command or (lens_kind and LENSES[lens_kind])
    if lens_command == wanted and (lens_kind == nil or lens_kind == kind) and start <= line then
      if not best or start > best.range.start.line then
        best = lens
      end
    end
  end
  if best and not best.command then
    local response = client:request_sync('codeLens/resolve', best, 5000, bufnr)
    best = response and response.result or best
  end
  if not best or not best.command then
    vim.notify(('no %s lens here (is a component built?)'):format(TITLES[wanted]), vim.log.levels.WARN)
    return
  end
  client:exec_cmd(best.command, { bufnr = bufnr })
end

return M
