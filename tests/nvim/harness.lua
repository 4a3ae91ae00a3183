-- What both Neovim scripts share: the result they write for the Rust
-- test (tests/tests/e2e/nvim.rs), steps that end the script at the
-- first failure, and the user's side of Neovim's prompts.
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

--- Answers `vim.ui.input` (the documented hook, as a user would type) with
--- `answers` in order, `false` for Escape. What each prompt offered is
--- kept in `result.prompts`.
function M.answer_prompts(answers)
  M.result.prompts = {}
  vim.ui.input = function(opts, on_confirm)
    table.insert(M.result.prompts, { prompt = opts.prompt, default = opts.default })
    on_confirm(table.remove(answers, 1) or nil)
  end
end

--- Answers `vim.ui.select`, where Neovim asks the server's
--- `window/showMessageRequest` (a consent before a build or a grant), with
--- the item titled `title`, and keeps what was asked in `result.selects`.
function M.answer_selects(title)
  M.result.selects = {}
  vim.ui.select = function(items, opts, on_choice)
    local titles = vim.tbl_map(function(item)
      return type(item) == 'table' and item.title or tostring(item)
    end, items)
    table.insert(M.result.selects, { prompt = opts.prompt, items = titles })
    for i, item in ipairs(items) do
      if titles[i] == title then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
end

--- Copies every file below `from` to the same place below `to`.
function M.copy_tree(from, to)
  for name, kind in vim.fs.dir(from, { depth = 20 }) do
    local source, target = vim.fs.joinpath(from, name), vim.fs.joinpath(to, name)
    if kind == 'directory' then
      vim.fn.mkdir(target, 'p')
    elseif kind == 'file' then
      vim.fn.mkdir(vim.fs.dirname(target), 'p')
      local input, output = assert(io.open(source, 'rb')), assert(io.open(target, 'wb'))
      output:write(input:read('*a'))
      input:close()
      output:close()
    end
  end
end

return M
