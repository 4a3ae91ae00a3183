-- :Wasmlens run|invoke|trace|build, the client side of the lens commands
-- (Invoke asks for arguments first), and fresh lenses once wasmlens
-- attaches to a buffer.
if vim.g.loaded_wasmlens then
  return
end
vim.g.loaded_wasmlens = true
require('wasmlens').setup()
