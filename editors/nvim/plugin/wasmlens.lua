-- :Wasmlens run|invoke|trace|build, and the client side of the lens
-- commands (Invoke asks for arguments first).
if vim.g.loaded_wasmlens then
  return
end
vim.g.loaded_wasmlens = true
require('wasmlens').setup_commands()
