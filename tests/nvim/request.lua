-- Drives ▶ Request and Trace Request through the Neovim plugin in
-- editors/nvim, headless:
--   nvim --headless --clean -l request.lua PLUGIN SERVER FILE RESULT
-- FILE is the world of an HTTP handler with its component built. The
-- request prompt (vim.ui.input, answered for the user) starts at `GET /`;
-- a POST with a header and a body is answered in the output split; the
-- next Request starts from that line; Trace Request shows the calls the
-- handler made; a line that is not a request is refused before anything
-- runs. What the prompts offered and the output shows go to RESULT.

local plugin, server, file, result_path = arg[1], arg[2], arg[3], arg[4]
local here = vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))
local harness = dofile(vim.fs.joinpath(here, 'harness.lua')).init(result_path)
local result, finish, step = harness.result, harness.finish, harness.step

vim.opt.runtimepath:prepend(plugin)
vim.cmd.runtime('ftdetect/wit.lua')
vim.cmd.runtime('plugin/wasmlens.lua')
vim.lsp.config('wasmlens', { cmd = { server, 'lsp' } })
vim.lsp.enable('wasmlens')

harness.answer_prompts({ 'POST /echo; x-from: nvim | hello from nvim', false, 'GET /', 'GET nowhere' })

local function output_text()
  local out = vim.fn.bufnr('wasmlens://output')
  if out == -1 then
    return ''
  end
  return table.concat(vim.api.nvim_buf_get_lines(out, 0, -1, false), '\n')
end

local function wait_output(text)
  return vim.wait(20000, function()
    return output_text():find(text, 1, true) ~= nil
  end, 20)
end

vim.cmd.edit(file)
local buf = vim.api.nvim_get_current_buf()
local shown = vim.wait(20000, function()
  vim.api.nvim_exec_autocmds('CursorHold', { buffer = buf })
  for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
    if lens.command and lens.command.title == '▶ Request' then
      return true
    end
  end
  return false
end, 100)
step('request lens', shown)

vim.api.nvim_win_set_cursor(0, { vim.fn.search('world proxy-wat', 'cnW'), 0 })
vim.cmd('Wasmlens request')
step('request', wait_output('hello from nvim'), output_text())
local out = output_text()
step(
  'response shown',
  out:find('POST /echo → 200', 1, true) ~= nil and out:find('x-method: POST', 1, true) ~= nil,
  out
)

-- Again: the prompt offers the last request (Escape: nothing runs).
local asked = #result.prompts
vim.cmd('Wasmlens request')
vim.wait(5000, function()
  return #result.prompts > asked
end, 20)
step(
  'remembered',
  result.prompts[asked + 1].default == 'POST /echo; x-from: nvim | hello from nvim',
  vim.inspect(result.prompts)
)

vim.cmd('Wasmlens traceRequest')
step('trace request', wait_output('[static]response-outparam.set'), output_text())
step('traced response', wait_output('hello from wat'), output_text())

-- Not a request line: refused with the reason, nothing sent.
local notified = {}
local notify = vim.notify
vim.notify = function(message, level)
  table.insert(notified, { message = message, level = level })
end
vim.cmd('Wasmlens request')
vim.wait(5000, function()
  return #notified > 0
end, 20)
vim.notify = notify
step(
  'bad request line',
  #notified > 0 and notified[1].message:find('the path `nowhere` must start with /', 1, true) ~= nil,
  vim.inspect(notified)
)

result.output = output_text()
finish()
