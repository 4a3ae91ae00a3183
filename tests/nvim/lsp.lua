-- Drives wasmlens through Neovim's own LSP client, headless:
--   nvim --headless --clean -l lsp.lua SERVER ROOT FILE RESULT
-- Opens FILE, waits for diagnostics, asks for a completion, jumps to a
-- definition, and writes what it saw to RESULT as JSON. The Rust test
-- (tests/tests/e2e/nvim.rs) checks the JSON.

local server, root, file, result_path = arg[1], arg[2], arg[3], arg[4]
local here = vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))
local harness = dofile(vim.fs.joinpath(here, 'harness.lua')).init(result_path)
local result = harness.result

local finish, step = harness.finish, harness.step

-- What the README tells users to put in their config.
vim.filetype.add({ extension = { wit = 'wit' } })
vim.lsp.config('wasmlens', {
  cmd = { server, 'lsp' },
  filetypes = { 'wit' },
  root_dir = function(_, on_dir)
    on_dir(root)
  end,
})
vim.lsp.enable('wasmlens')

vim.cmd.edit(file)
local buf = vim.api.nvim_get_current_buf()

local attached = vim.wait(15000, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = 'wasmlens' }) > 0
end, 20)
step('attach', attached, vim.bo[buf].filetype)
local client = vim.lsp.get_clients({ bufnr = buf, name = 'wasmlens' })[1]
result.pull_diagnostics = client.capabilities.textDocument.diagnostic ~= nil
result.server_pulls = client.server_capabilities.diagnosticProvider ~= nil

local got_diagnostics = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)
result.diagnostics = vim.tbl_map(function(d)
  return { line = d.lnum, col = d.col, message = d.message }
end, vim.diagnostic.get(buf))
step('diagnostics', got_diagnostics)

-- Completion in a type position: where the unknown `nope` starts.
local completion_line = vim.fn.search('nope', 'n') - 1
local line_text = vim.api.nvim_buf_get_lines(buf, completion_line, completion_line + 1, false)[1]
local column = line_text:find('nope', 1, true) - 1
local response = client:request_sync('textDocument/completion', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = completion_line, character = column },
}, 10000, buf)
step('completion', response and response.result, response and response.err)
local items = response.result.items or response.result
result.completion = vim.tbl_map(function(item)
  return item.label
end, items)

-- Go to definition of `point`, as `gd`/`vim.lsp.buf.definition()` does.
local use_line = vim.fn.search('point)', 'n')
local use_col = vim.api.nvim_buf_get_lines(buf, use_line - 1, use_line, false)[1]:find('point)', 1, true)
vim.api.nvim_win_set_cursor(0, { use_line, use_col })
vim.lsp.buf.definition()
local jumped = vim.wait(15000, function()
  return vim.api.nvim_buf_get_name(0) ~= vim.api.nvim_buf_get_name(buf)
end, 20)
local cursor = vim.api.nvim_win_get_cursor(0)
result.definition = {
  file = vim.api.nvim_buf_get_name(0),
  line = cursor[1],
  col = cursor[2],
}
step('definition', jumped)
finish()
