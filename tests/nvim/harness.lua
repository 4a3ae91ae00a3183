-- What both Neovim scripts share: the result they write for the Rust
-- test (tests/tests/e2e/nvim.rs), and steps that end the script at the
-- first failure.
local M = { result = { steps = {} } }

--- Sets where the result goes (the script's last argument).
function M.init(path)
  M.path = path
  return M
end

--- Writes the result as JSON and quits Neovim.
function M.finish()
  local out = assert(io.open(M.path, 'w'))
  out:write(vim.json.encode(M.result))
  out:close()
  vim.cmd('qall!')
end

--- Records a step; a failed one ends the script (with what was seen).
function M.step(name, ok, detail)
  table.insert(M.result.steps, { name = name, ok = ok and true or false, detail = detail })
  if not ok then
    M.finish()
  end
end

return M
