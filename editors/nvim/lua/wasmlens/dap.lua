-- ⏵ Debug in Neovim, through nvim-dap.
--
-- The server's Debug lens carries `wasmlens.debugConfig`. For an export
-- the server first answers a WAVE template of the parameters, which the
-- user edits like Invoke's (the same remembered arguments); with the
-- arguments, or for a command world at once, it answers a launch
-- configuration. nvim-dap starts that configuration on the `wasmlens`
-- adapter: the same binary as the language server, run as `wasmlens dap`.
local M = {}

local NEEDS_DAP = 'wasmlens: ⏵ Debug needs nvim-dap (https://github.com/mfussenegger/nvim-dap) on runtimepath'

--- The executable nvim-dap starts: the language server's command from
--- `vim.lsp.config('wasmlens')`, with `dap` in place of `lsp`, so one
--- setting picks the binary for both.
function M.adapter()
  local cmd = vim.lsp.config.wasmlens and vim.lsp.config.wasmlens.cmd
  -- A function (an RPC client) names no executable: use the one on PATH.
  cmd = type(cmd) == 'table' and vim.deepcopy(cmd) or { 'wasmlens', 'lsp' }
  local args = vim.list_slice(cmd, 2)
  local lsp_at
  for i, arg in ipairs(args) do
    if arg == 'lsp' then
      lsp_at = i
    end
  end
  if lsp_at then
    args[lsp_at] = 'dap'
  else
    table.insert(args, 'dap')
  end
  return { type = 'executable', command = cmd[1], args = args }
end

--- Registers the `wasmlens` adapter with nvim-dap unless the user has one.
--- A function, so the command is read when a session starts: after the
--- user's `vim.lsp.config`, whenever that ran.
function M.register(dap)
  if dap.adapters.wasmlens == nil then
    dap.adapters.wasmlens = function(on_adapter)
      on_adapter(M.adapter())
    end
  end
end

--- Registers the adapter now if nvim-dap is loaded; a plugin manager that
--- loads it later gets it at the first ⏵ Debug.
function M.setup()
  local ok, dap = pcall(require, 'dap')
  if ok then
    M.register(dap)
  end
end

--- Starts nvim-dap on the server's launch configuration.
local function start(dap, answer)
  if answer.kind ~= 'debugConfig' or type(answer.configuration) ~= 'table' then
    vim.notify('wasmlens: expected a debug configuration, got ' .. vim.inspect(answer), vim.log.levels.ERROR)
    return
  end
  if type(answer.hint) == 'string' and answer.hint ~= '' then
    vim.notify('wasmlens: ' .. answer.hint, vim.log.levels.WARN)
  end
  dap.run(answer.configuration)
end

--- `wasmlens.debugConfig` with `argument`; `on_answer` gets the answer on
--- the main loop, errors are reported.
local function ask(client, bufnr, argument, on_answer)
  client:request('workspace/executeCommand', {
    command = 'wasmlens.debugConfig',
    arguments = { argument },
  }, function(err, answer)
    vim.schedule(function()
      if err then
        vim.notify('wasmlens: ' .. err.message, vim.log.levels.ERROR)
      elseif type(answer) ~= 'table' then
        vim.notify('wasmlens: the server sent no debug configuration', vim.log.levels.ERROR)
      else
        on_answer(answer)
      end
    end)
  end, bufnr)
end

--- The Debug lens' command (`vim.lsp.commands['wasmlens.debugConfig']`).
function M.debug_lens(command, ctx)
  local ok, dap = pcall(require, 'dap')
  if not ok then
    vim.notify(NEEDS_DAP, vim.log.levels.ERROR)
    return
  end
  M.register(dap)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local argument = vim.deepcopy(command.arguments[1])
  ask(client, ctx.bufnr, argument, function(answer)
    if answer.kind ~= 'template' then
      start(dap, answer)
      return
    end
    require('wasmlens').ask_arguments(argument, answer, function(input)
      argument.arguments = input
      ask(client, ctx.bufnr, argument, function(configured)
        start(dap, configured)
      end)
    end)
  end)
end

return M
