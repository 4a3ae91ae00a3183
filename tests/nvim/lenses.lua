-- Drives wasmlens' run lenses through the Neovim plugin in editors/nvim,
-- headless:
--   nvim --headless --clean -l lenses.lua PLUGIN SERVER FILE RESULT
-- Loads the plugin the way the README says, opens FILE, waits for the
-- lenses, runs `:Wasmlens invoke` on `export add` with arguments typed into
-- the prompt (vim.ui.input, the documented hook, answering for the user)
-- and `:Wasmlens trace` on `export greet`, and writes what the output
-- buffer shows to RESULT as JSON for the Rust test (tests/tests/e2e/nvim.rs).

local plugin, server, file, result_path = arg[1], arg[2], arg[3], arg[4]
local harness = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)), 'harness.lua')).init(result_path)
local result = harness.result

local finish, step = harness.finish, harness.step
result.prompts = {}

-- The README's setup: the plugin on 'runtimepath', then enable.
vim.opt.runtimepath:prepend(plugin)
vim.cmd.runtime('ftdetect/wit.lua')
vim.cmd.runtime('plugin/wasmlens.lua')
vim.lsp.config('wasmlens', { cmd = { server, 'lsp' } })
vim.lsp.enable('wasmlens')

-- The user's answers to the prompt, in order; what the prompt offered is
-- kept.
local answers = { '(20, 22)', '("nvim")' }
vim.ui.input = function(opts, on_confirm)
  table.insert(result.prompts, { prompt = opts.prompt, default = opts.default })
  on_confirm(table.remove(answers, 1))
end

vim.cmd.edit(file)
local buf = vim.api.nvim_get_current_buf()
step('filetype', vim.bo[buf].filetype == 'wit', vim.bo[buf].filetype)

local attached = vim.wait(15000, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = 'wasmlens' }) > 0
end, 20)
step('attach', attached)

local function resolved_lenses()
  local titles = {}
  for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
    if lens.command then
      table.insert(titles, lens.command.title)
    end
  end
  return titles
end
local lenses_shown = vim.wait(15000, function()
  vim.lsp.codelens.refresh({ bufnr = buf })
  return vim.tbl_contains(resolved_lenses(), '▶ Invoke')
end, 100)
result.lenses = resolved_lenses()
step('lenses', lenses_shown)

local function output_text()
  local out = vim.fn.bufnr('wasmlens://output')
  if out == -1 then
    return ''
  end
  return table.concat(vim.api.nvim_buf_get_lines(out, 0, -1, false), '\n')
end

local function run_on(pattern, kind, expected)
  vim.api.nvim_win_set_cursor(0, { vim.fn.search(pattern, 'nw'), 0 })
  vim.cmd('Wasmlens ' .. kind)
  local seen = vim.wait(15000, function()
    return output_text():find(expected, 1, true) ~= nil
  end, 20)
  step(kind, seen, output_text())
end

run_on('export add', 'invoke', 'add(20, 22) = 42')
run_on('export greet', 'trace', 'greet(name: "nvim") -> "Hello, nvim!"')
result.output = output_text()
result.output_window = vim.fn.bufwinid('wasmlens://output') ~= -1
finish()
