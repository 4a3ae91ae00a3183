-- `.wit` files are WIT (the WebAssembly Interface Type language).
vim.filetype.add({ extension = { wit = 'wit' } })
