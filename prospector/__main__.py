from prospector.cli import main

main()
