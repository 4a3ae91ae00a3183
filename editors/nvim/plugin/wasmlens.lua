-- :Wasmlens run|invoke|trace|build|debug, the client side of the lens
-- commands (Invoke asks for arguments first; Debug too, then starts
-- nvim-dap), and fresh lenses once wasmlens attaches to a buffer.
if vim.g.loaded_wasmlens then
  return
end
vim.g.loaded_wasmlens = true
require('wasmlens').setup()
