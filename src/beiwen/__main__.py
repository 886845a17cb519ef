from beiwen.cli import main

main()
